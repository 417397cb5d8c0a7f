using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Plans;

/// <summary>A tier as a client writes it.</summary>
internal sealed class TierRequest
{
    [JsonPropertyName("up_to")]
    public decimal? UpTo { get; init; }

    [JsonPropertyName("unit_price")]
    public decimal? UnitPrice { get; init; }

    [JsonPropertyName("flat_fee")]
    public decimal? FlatFee { get; init; }
}

/// <summary>
/// The rules a charge must satisfy, checked on the whole charge as it will be stored (after a PATCH
/// too): which fields each type and pricing model takes, and that every price fits numeric(28,12).
/// </summary>
internal static class ChargeRules
{
    public const string Fixed = "FIXED";
    public const string Usage = "USAGE";

    private const decimal Limit = 10_000_000_000_000_000m; // 10^16: the integer digits numeric(28,12) keeps

    /// <summary>Checks <paramref name="charge"/> for a plan of <paramref name="planType"/>; problems go to <paramref name="errors"/>.</summary>
    public static void Check(Charge charge, string planType, FieldErrors errors)
    {
        if (charge.Type is not (Fixed or Usage))
        {
            errors.Add("type", "must be FIXED or USAGE.");
            return;
        }

        if ((planType == PlanTypes.Fixed && charge.Type != Fixed) || (planType == PlanTypes.Usage && charge.Type != Usage))
        {
            errors.Add("type", $"a {planType} plan takes only {planType} charges (a HYBRID plan takes both).");
        }

        if (string.IsNullOrWhiteSpace(charge.DisplayName) || charge.DisplayName.Length > 200)
        {
            errors.Add("display_name", "must be 1 to 200 characters.");
        }

        if (charge.Type == Fixed)
        {
            Money(errors, "amount", charge.Amount, required: true);
            errors.NotApplicable("to FIXED charges", ("meter_id", charge.MeterId), ("pricing_model", charge.PricingModel), ("unit_price", charge.UnitPrice),
                ("tiers", charge.Tiers), ("package_size", charge.PackageSize), ("package_price", charge.PackagePrice));
            return;
        }

        errors.NotApplicable("to USAGE charges", ("amount", charge.Amount));
        if (charge.MeterId is null)
        {
            errors.Add("meter_id", "is required for a USAGE charge.");
        }

        switch (charge.PricingModel)
        {
            case Pricing.PerUnit:
                Money(errors, "unit_price", charge.UnitPrice, required: true);
                errors.NotApplicable("to per_unit pricing", ("tiers", charge.Tiers), ("package_size", charge.PackageSize), ("package_price", charge.PackagePrice));
                break;
            case Pricing.Graduated or Pricing.Volume:
                CheckTiers(charge.Tiers, errors);
                errors.NotApplicable($"to {charge.PricingModel} pricing (prices are in the tiers)",
                    ("unit_price", charge.UnitPrice), ("package_size", charge.PackageSize), ("package_price", charge.PackagePrice));
                break;
            case Pricing.Package:
                if (charge.PackageSize is not { } size)
                {
                    errors.Add("package_size", "is required for package pricing.");
                }
                else if (size <= 0 || size >= Limit || size.Scale() > PlanConfiguration.Scale)
                {
                    errors.Add("package_size", "must be more than 0, with at most 12 decimals.");
                }

                Money(errors, "package_price", charge.PackagePrice, required: true);
                errors.NotApplicable("to package pricing", ("unit_price", charge.UnitPrice), ("tiers", charge.Tiers));
                break;
            default:
                errors.Add("pricing_model", $"must be one of {string.Join(", ", Pricing.Models)}.");
                break;
        }
    }

    /// <summary>Tiers as stored, or null when none were given.</summary>
    public static List<PriceTier>? ToTiers(IReadOnlyList<TierRequest>? tiers) =>
        tiers?.Select(t => new PriceTier(t.UpTo, t.UnitPrice ?? -1m, t.FlatFee ?? 0m)).ToList();

    private static void CheckTiers(List<PriceTier>? tiers, FieldErrors errors)
    {
        if (tiers is not { Count: > 0 })
        {
            errors.Add("tiers", "are required for graduated and volume pricing: at least one tier, the last with up_to null.");
            return;
        }

        decimal? previous = 0m;
        for (var i = 0; i < tiers.Count; i++)
        {
            var tier = tiers[i];
            var field = $"tiers[{i}]";
            var last = i == tiers.Count - 1;
            if (last && tier.UpTo is not null)
            {
                errors.Add($"{field}.up_to", "must be null on the last tier, so that every quantity has a price.");
            }
            else if (!last && tier.UpTo is null)
            {
                errors.Add($"{field}.up_to", "may be null only on the last tier.");
            }
            else if (tier.UpTo is { } upTo && (upTo <= previous || upTo >= Limit || upTo.Scale() > PlanConfiguration.Scale))
            {
                errors.Add($"{field}.up_to", "must be greater than the previous tier's up_to (tiers ascend).");
            }

            if (tier.UnitPrice < 0)
            {
                errors.Add($"{field}.unit_price", "is required and must be 0 or more.");
            }
            else
            {
                Money(errors, $"{field}.unit_price", tier.UnitPrice, required: true);
            }

            Money(errors, $"{field}.flat_fee", tier.FlatFee, required: false);
            previous = tier.UpTo ?? previous;
        }
    }

    private static void Money(FieldErrors errors, string field, decimal? value, bool required)
    {
        if (value is not { } v)
        {
            if (required)
            {
                errors.Add(field, "is required.");
            }

            return;
        }

        if (v < 0)
        {
            errors.Add(field, "must be 0 or more.");
        }
        else if (v >= Limit)
        {
            errors.Add(field, "is too large.");
        }
        else if (v.Scale() > PlanConfiguration.Scale && v != Math.Round(v, PlanConfiguration.Scale))
        {
            errors.Add(field, "may have at most 12 decimals.");
        }
    }
}
