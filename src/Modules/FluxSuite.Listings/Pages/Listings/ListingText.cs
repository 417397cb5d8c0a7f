namespace FluxSuite.Listings.Pages.Listings;

/// <summary>How the directory's pages name the listing's coded values.</summary>
internal static class ListingText
{
    public static string Type(string? type) => type switch
    {
        "managed" => "Managed",
        "selfSetup" => "Self-setup",
        "dedicated" => "Dedicated",
        null => "—",
        _ => type,
    };

    public static string Tier(string tier) => tier.Length == 0 ? tier : char.ToUpperInvariant(tier[0]) + tier[1..];

    public static string Percent(decimal? value) => value is null ? "—" : BuildingBlocks.Pages.PageText.Number(value) + " %";
}
