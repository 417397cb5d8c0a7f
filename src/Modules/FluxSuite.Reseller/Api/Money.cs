using System.Globalization;

namespace FluxSuite.Reseller.Api;

/// <summary>Amounts are integer cents; the formatted twin reads like <c>$5,000.00</c> or <c>-$12.50</c>.</summary>
internal static class Money
{
    public static string Format(long cents)
    {
        var dollars = Math.Abs((decimal)cents) / 100m;
        var text = "$" + dollars.ToString("N2", CultureInfo.InvariantCulture);
        return cents < 0 ? "-" + text : text;
    }

    /// <summary>Rounds to the cent, half up (away from zero, as every amount here is positive).</summary>
    public static long RoundToCents(decimal cents) => (long)Math.Round(cents, 0, MidpointRounding.AwayFromZero);
}
