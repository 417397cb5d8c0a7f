using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Plans;

namespace FluxSuite.Metering.Invoices;

/// <summary>What the earlier invoices of a period billed for one charge.</summary>
internal readonly record struct Billed(decimal Quantity, decimal Amount)
{
    public static Billed operator +(Billed a, Billed b) => new(a.Quantity + b.Quantity, a.Amount + b.Amount);
}

/// <summary>
/// The lines of an invoice. A FIXED charge is billed once per period, in full, on the invoice that
/// closes the period. A USAGE charge is priced by its model on the period's usage from the period's
/// start to the end of the invoice's range (its meter's aggregation), rounded to the currency's minor
/// unit half away from zero; what earlier invoices of the period billed for it is taken off. So one
/// invoice per period and several progressive ones add up to the same amount, to the minor unit, and
/// tiers and packages are counted on the period's whole usage, never restarted.
/// </summary>
internal static class InvoiceCalculator
{
    /// <summary>Amounts must fit numeric(28,12) (below 10^16).</summary>
    private const decimal Limit = 10_000_000_000_000_000m;

    /// <param name="invoice">The invoice (its period, range and currency are read).</param>
    /// <param name="charges">The plan's active charges, in plan order.</param>
    /// <param name="periodUsage">Per meter id: the usage from the period's start to the end of the range (null: no event for MAX/LATEST).</param>
    /// <param name="billedEarlier">Per charge id: what the period's earlier invoices billed for it.</param>
    public static List<InvoiceLine> Lines(
        Invoice invoice, IEnumerable<Charge> charges, IReadOnlyDictionary<Guid, decimal?> periodUsage, IReadOnlyDictionary<Guid, Billed> billedEarlier)
    {
        var lines = new List<InvoiceLine>();
        foreach (var charge in charges)
        {
            InvoiceLine line;
            if (charge.Type == ChargeRules.Fixed)
            {
                if (!invoice.ClosesPeriod)
                {
                    continue;
                }

                var fee = Checked(charge.Amount!.Value.RoundToMinorUnit(invoice.Currency));
                line = NewLine(invoice, charge, lines.Count);
                line.Quantity = line.PeriodQuantity = 1;
                line.UnitPrice = charge.Amount.Value.Normalize();
                line.PeriodAmount = line.Amount = fee;
            }
            else
            {
                var quantity = periodUsage.GetValueOrDefault(charge.MeterId!.Value) ?? 0m;
                var priced = Pricing.Apply(charge, quantity);
                var earlier = billedEarlier.GetValueOrDefault(charge.Id);
                line = NewLine(invoice, charge, lines.Count);
                line.MeterId = charge.MeterId;
                line.PricingModel = charge.PricingModel;
                line.PeriodQuantity = quantity;
                line.Quantity = quantity - earlier.Quantity;
                line.UnitPrice = charge.PricingModel == Pricing.PerUnit ? charge.UnitPrice!.Value.Normalize() : null;
                line.Tiers = priced.Tiers?.ToList();
                line.PackageSize = charge.PackageSize?.Normalize();
                line.PackagePrice = charge.PackagePrice?.Normalize();
                line.Packages = priced.Packages;
                line.PeriodAmount = Checked(priced.Amount.RoundToMinorUnit(invoice.Currency));
                line.PreviouslyBilled = earlier.Amount;
                line.Amount = line.PeriodAmount - earlier.Amount;
            }

            lines.Add(line);
        }

        return lines;
    }

    /// <summary>True when two sets of lines bill the same things the same way (ids and order of loading aside).</summary>
    public static bool SameAs(IReadOnlyList<InvoiceLine> a, IReadOnlyList<InvoiceLine> b) =>
        a.Count == b.Count && a.OrderBy(l => l.Position).Zip(b.OrderBy(l => l.Position)).All(p =>
            p.First.ChargeId == p.Second.ChargeId && p.First.Position == p.Second.Position && p.First.Description == p.Second.Description
            && p.First.Quantity == p.Second.Quantity && p.First.PeriodQuantity == p.Second.PeriodQuantity
            && p.First.UnitPrice == p.Second.UnitPrice && p.First.PackageSize == p.Second.PackageSize
            && p.First.PackagePrice == p.Second.PackagePrice && p.First.Packages == p.Second.Packages
            && p.First.PeriodAmount == p.Second.PeriodAmount && p.First.PreviouslyBilled == p.Second.PreviouslyBilled
            && p.First.Amount == p.Second.Amount && p.First.PricingModel == p.Second.PricingModel
            && (p.First.Tiers ?? []).SequenceEqual(p.Second.Tiers ?? []));

    /// <summary>What the given (earlier) invoices billed per charge.</summary>
    public static Dictionary<Guid, Billed> BilledByCharge(IEnumerable<Invoice> earlier)
    {
        var billed = new Dictionary<Guid, Billed>();
        foreach (var line in earlier.SelectMany(i => i.Lines))
        {
            billed[line.ChargeId] = billed.GetValueOrDefault(line.ChargeId) + new Billed(line.Quantity, line.Amount);
        }

        return billed;
    }

    private static InvoiceLine NewLine(Invoice invoice, Charge charge, int position) => new()
    {
        Id = Guid.CreateVersion7(),
        InvoiceId = invoice.Id,
        Position = position,
        ChargeId = charge.Id,
        Type = charge.Type,
        Description = charge.DisplayName,
    };

    private static decimal Checked(decimal amount) =>
        Math.Abs(amount) < Limit
            ? amount
            : throw new OverflowException($"An invoice amount of {amount} does not fit the 16 integer digits amounts are kept with.");
}
