using FluxSuite.Listings.Admin;
using FluxSuite.Listings.Directory;
using FluxSuite.Listings.Keys;
using FluxSuite.Listings.Providers;
using FluxSuite.Listings.Pull;

namespace FluxSuite.Listings.Api;

/// <summary>The examples the module's OpenAPI document shows, built from the real wire types so they cannot drift.</summary>
internal static class ListingsExamples
{
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    // Built as a listing is stored and shown through the view the API uses, so every field is named once.
    public static readonly ProviderView Listing = ProviderView.From(new Provider
    {
        Slug = "your-slug",
        Name = "My Provider",
        Description = "Short description for the card (max 200 chars)",
        LongDescription = "Full description shown on the profile page...",
        Website = "https://myprovider.com",
        Discord = "https://discord.gg/XXXXX",
        Country = "Poland",
        Type = "managed",
        Tiers = [new("cumulus", 7.49m, "Cumulus"), new("nimbus", 16.99m, "Nimbus"), new("stratus", 34.99m, "Stratus")],
        Comments = "Prices include VAT",
        HasDiscount = true,
        TotalNodes = 95,
        TotalClients = 51,
        UptimePercentage = 99.99m,
        ResponseTimeHours = 0.5m,
        PnrEligiblePercent = 99,
        ArcaneOsPercent = 100,
        DataCenters = 3,
        Sla = 99.9m,
        Languages = ["en", "pl"],
        AcceptsFlux = true,
        AcceptsStripe = true,
        AcceptsFiat = true,
        SupportChannels = ["email", "discord", "phone"],
        WhiteLabel = false,
        AutoRenew = true,
        DelegationAvailable = true,
        FluxLabsPartner = false,
        Verified = true,
        IsDemo = false,
        Rating = 4.8m,
        ReviewCount = 27,
        CreatedAt = Now.AddDays(-30),
        UpdatedAt = Now,
        LastPushAt = Now,
        LastPullAt = Now.AddHours(-3),
    });

    public const string PartialUpdate = """
        {
          "tiers": [
            { "tier": "cumulus", "price": 7.49, "planName": "Cumulus" },
            { "tier": "nimbus", "price": 16.99, "planName": "Nimbus" },
            { "tier": "stratus", "price": 34.99, "planName": "Stratus" }
          ],
          "totalNodes": 95
        }
        """;

    public const string CreateRequest = """{"slug": "your-slug", "name": "My Provider", "country": "Poland", "type": "managed", "verified": true}""";

    public const string AdminPatchRequest = """{"verified": true, "fluxLabsPartner": true, "rating": 4.8, "reviewCount": 27}""";

    public const string PullSettingsRequest = """
        {
          "url": "https://status.myprovider.com/api/fluxme.json",
          "intervalMinutes": 60,
          "enabled": true,
          "mapping": { "totalNodes": "stats.nodes.total", "uptimePercentage": "health.uptime", "tiers": "pricing.plans" }
        }
        """;

    public static readonly SyncStatusView Sync = new(
        "your-slug", true, true, "https://status.myprovider.com/api/fluxme.json", 60,
        new Dictionary<string, string> { ["totalNodes"] = "stats.nodes.total", ["uptimePercentage"] = "health.uptime" },
        Now, Now, PullOutcome.Updated, 200, null, null, 0, Now.AddHours(1), ["totalNodes"],
        [new IgnoredField("verified", IgnoredField.Protected)], [], Now.AddHours(-2), Now);

    public static ListingsEnvelope<T> Ok<T>(string message, T data) => new("success", message, data);

    public static object Envelopes(string route) => route switch
    {
        "list" => Ok("Providers retrieved successfully", new ListProviders.Response([Listing], 1, 20, 1, 1)),
        "get" => Ok("Provider \"your-slug\" retrieved successfully", Listing),
        "patch" => Ok("Provider \"your-slug\" updated successfully", Listing),
        "create" => Ok("Provider \"your-slug\" created successfully", Listing),
        "sync" => Ok("Sync status of provider \"your-slug\"", Sync),
        "history" => Ok("History of provider \"your-slug\"", new GetHistory.Response(
            [new GetHistory.Change("totalNodes", 89, 95, ChangeSource.Push, Now), new GetHistory.Change("verified", false, true, ChangeSource.Admin, Now.AddDays(-1))],
            1, 50, 2, 1)),
        "issue" => Ok("API key created for provider \"your-slug\". Store it now: it is not shown again.",
            new IssueKey.Response(Guid.Parse("01946a6e-8c1f-7000-8000-000000000001"), "flxp_2bV9qLw0XkP4s7TnYc1RzA8mHd3FjE6uGi5KoNp2Qr7", Now)),
        "import" => Ok("API key imported for provider \"your-slug\"", new ImportKey.Response(Guid.Parse("01946a6e-8c1f-7000-8000-000000000002"), Now)),
        "keys" => Ok("Keys of provider \"your-slug\"", new[]
        {
            new ListKeys.KeyView(Guid.Parse("01946a6e-8c1f-7000-8000-000000000001"), KeyOrigin.Generated, Now.AddDays(-90), Now.AddDays(-20), Now.AddDays(-14), false),
            new ListKeys.KeyView(Guid.Parse("01946a6e-8c1f-7000-8000-000000000002"), KeyOrigin.Imported, Now.AddDays(-15), Now, null, true),
        }),
        "run" => Ok("Pull of provider \"your-slug\": updated", new PullRunResult(
            PullOutcome.Updated, 200, ["uptimePercentage"], ["totalNodes"], [new IgnoredField("verified", IgnoredField.Protected)], [], null, Sync)),
        _ => throw new ArgumentOutOfRangeException(nameof(route), route, null),
    };
}
