namespace FluxSuite.Metering.Common;

internal static class Decimals
{
    /// <summary>Drops trailing zeros that numeric(28,12) adds, so 0.001 reads back as 0.001 and 150 as 150.</summary>
    public static decimal Normalize(this decimal value) => value / 1.000000000000000000000000000000000m;

    public static decimal? Normalize(this decimal? value) => value?.Normalize();

    /// <summary>The number of decimal places the value was written with (0.0010 → 4).</summary>
    public static int Scale(this decimal value) => value.Scale;

    /// <summary>Rounds an amount to the currency's minor unit, half away from zero.</summary>
    public static decimal RoundToMinorUnit(this decimal amount, string currency) =>
        Math.Round(amount, Currencies.MinorUnits(currency), MidpointRounding.AwayFromZero);
}
