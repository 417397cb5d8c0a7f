using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Plans;

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
    public static decimal Amount(Charge charge, decimal quantity)
    {
        ArgumentNullException.ThrowIfNull(charge);
        if (quantity <= 0)
        {
            return 0m;
        }

        return charge.PricingModel switch
        {
            PerUnit => quantity * charge.UnitPrice!.Value,
            Graduated => GraduatedAmount(charge.Tiers!, quantity),
            Volume => VolumeAmount(charge.Tiers!, quantity),
            Package => Math.Ceiling(quantity / charge.PackageSize!.Value) * charge.PackagePrice!.Value,
            _ => throw new InvalidOperationException($"Unknown pricing model '{charge.PricingModel}' on charge {charge.Id}."),
        };
    }

    /// <summary>Each unit at the price of the tier it falls in, plus the flat fee of every tier reached.</summary>
    public static decimal GraduatedAmount(IReadOnlyList<PriceTier> tiers, decimal quantity)
    {
        var amount = 0m;
        var lower = 0m;
        foreach (var tier in tiers)
        {
            if (quantity <= lower)
            {
                break;
            }

            var upper = tier.UpTo ?? decimal.MaxValue;
            var units = Math.Min(quantity, upper) - lower;
            amount += (units * tier.UnitPrice) + tier.FlatFee;
            lower = upper;
        }

        return amount;
    }

    /// <summary>Every unit at the price of the tier the total falls in, plus that tier's flat fee.</summary>
    public static decimal VolumeAmount(IReadOnlyList<PriceTier> tiers, decimal quantity)
    {
        var tier = tiers.FirstOrDefault(t => t.UpTo is null || quantity <= t.UpTo) ?? tiers[^1];
        return (quantity * tier.UnitPrice) + tier.FlatFee;
    }
}
