using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Plans;

/// <summary>What a price made of a quantity: the amount (unrounded) and how it was reached.</summary>
/// <param name="Amount">The sum, before rounding to the currency's minor unit.</param>
/// <param name="Tiers">Graduated: every tier reached; volume: the tier the quantity fell in; otherwise null.</param>
/// <param name="Packages">Package pricing: the packages started; otherwise null.</param>
internal sealed record PricedQuantity(decimal Amount, IReadOnlyList<AppliedTier>? Tiers, decimal? Packages);

/// <summary>The pricing models of a USAGE charge and what each makes of a quantity (unrounded).</summary>
internal static class Pricing
{
    public const string PerUnit = "per_unit";
    public const string Graduated = "graduated";
    public const string Volume = "volume";
    public const string Package = "package";

    public static readonly string[] Models = [PerUnit, Graduated, Volume, Package];

    /// <summary>
    /// The amount a USAGE charge asks for a period's quantity. No usage costs nothing under every model
    /// (no tier is reached, no package is started).
    /// </summary>
    public static decimal Amount(Charge charge, decimal quantity) => Apply(charge, quantity).Amount;

    /// <summary>The amount and its breakdown: the tiers applied or the packages started.</summary>
    public static PricedQuantity Apply(Charge charge, decimal quantity)
    {
        ArgumentNullException.ThrowIfNull(charge);
        var units = Math.Max(quantity, 0m);
        switch (charge.PricingModel)
        {
            case PerUnit:
                return new PricedQuantity(units * charge.UnitPrice!.Value, null, null);
            case Graduated:
                var reached = GraduatedTiers(charge.Tiers!, units);
                return new PricedQuantity(reached.Sum(t => t.Amount), reached, null);
            case Volume:
                IReadOnlyList<AppliedTier> applied = units == 0 ? [] : [VolumeTier(charge.Tiers!, units)];
                return new PricedQuantity(applied.Sum(t => t.Amount), applied, null);
            case Package:
                var packages = Math.Ceiling(units / charge.PackageSize!.Value);
                return new PricedQuantity(packages * charge.PackagePrice!.Value, null, packages);
            default:
                throw new InvalidOperationException($"Unknown pricing model '{charge.PricingModel}' on charge {charge.Id}.");
        }
    }

    /// <summary>Each unit at the price of the tier it falls in, plus the flat fee of every tier reached.</summary>
    private static List<AppliedTier> GraduatedTiers(IReadOnlyList<PriceTier> tiers, decimal quantity)
    {
        var reached = new List<AppliedTier>();
        var lower = 0m;
        for (var i = 0; i < tiers.Count && quantity > lower; i++)
        {
            var tier = tiers[i];
            var upper = tier.UpTo ?? decimal.MaxValue;
            var units = Math.Min(quantity, upper) - lower;
            reached.Add(new AppliedTier(i + 1, tier.UpTo, tier.UnitPrice, tier.FlatFee, units, (units * tier.UnitPrice) + tier.FlatFee));
            lower = upper;
        }

        return reached;
    }

    /// <summary>Every unit at the price of the tier the total falls in, plus that tier's flat fee.</summary>
    private static AppliedTier VolumeTier(IReadOnlyList<PriceTier> tiers, decimal quantity)
    {
        var index = 0;
        while (index < tiers.Count - 1 && tiers[index].UpTo is { } upTo && quantity > upTo)
        {
            index++;
        }

        var tier = tiers[index];
        return new AppliedTier(index + 1, tier.UpTo, tier.UnitPrice, tier.FlatFee, quantity, (quantity * tier.UnitPrice) + tier.FlatFee);
    }
}
