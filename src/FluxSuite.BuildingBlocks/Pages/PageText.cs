using System.Globalization;

namespace FluxSuite.BuildingBlocks.Pages;

/// <summary>How the pages of every module write times, numbers and yes/no, so they read the same everywhere.</summary>
public static class PageText
{
    public const string None = "—";

    /// <summary>UTC, to the minute: <c>2026-01-15 12:00 UTC</c>.</summary>
    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : None;

    public static string Date(DateTimeOffset? at) =>
        at is { } value ? value.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : None;

    /// <summary>A decimal as written, without trailing zeros, with thousands separators: <c>1,234.5</c>.</summary>
    public static string Number(decimal? value) =>
        value is { } number ? number.ToString("#,0.############", CultureInfo.InvariantCulture) : None;

    /// <summary>A decimal as a form field holds it: no separators, no trailing zeros; null stays empty.</summary>
    public static string? Plain(decimal? value) => value?.ToString("0.############", CultureInfo.InvariantCulture);

    public static string Number(long? value) => value is { } number ? number.ToString("#,0", CultureInfo.InvariantCulture) : None;

    public static string YesNo(bool? value) => value switch
    {
        true => "Yes",
        false => "No",
        null => None,
    };
}
