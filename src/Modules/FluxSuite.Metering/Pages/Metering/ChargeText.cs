using FluxSuite.BuildingBlocks.Pages;
using FluxSuite.Metering.Plans;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary>A charge's price in a line: "12 USD per period", "0.001 USD per unit", "graduated, 2 tiers".</summary>
internal static class ChargeText
{
    public static string Price(ChargeResponse charge, string currency) => charge.Type == ChargeRules.Fixed
        ? $"{PageText.Number(charge.Amount)} {currency} per period"
        : charge.PricingModel switch
        {
            Pricing.PerUnit => $"{PageText.Number(charge.UnitPrice)} {currency} per unit",
            Pricing.Package => $"{PageText.Number(charge.PackagePrice)} {currency} per {PageText.Number(charge.PackageSize)} units",
            var model => $"{model}, {charge.Tiers?.Count ?? 0} tiers",
        };
}
