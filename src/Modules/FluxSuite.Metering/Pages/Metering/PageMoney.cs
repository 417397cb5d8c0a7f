using FluxSuite.BuildingBlocks.Pages;

namespace FluxSuite.Metering.Pages.Metering;

internal static class PageMoney
{
    /// <summary>"12.34 USD".</summary>
    public static string Amount(decimal amount, string currency) => $"{PageText.Number(amount)} {currency}";
}
