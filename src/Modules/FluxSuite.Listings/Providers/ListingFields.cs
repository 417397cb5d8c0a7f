using System.Text.Json;
using System.Text.RegularExpressions;
using FluxSuite.BuildingBlocks.Errors;
using static FluxSuite.Listings.Providers.FieldReaders;

namespace FluxSuite.Listings.Providers;

/// <summary>Every field of a listing, by its wire name, in the order of the provider API reference.</summary>
internal static partial class ListingFields
{
    public const string SlugPattern = "^[a-z0-9]+(?:-[a-z0-9]+)*$";

    public static readonly IReadOnlyList<ListingField> All =
    [
        // Identity
        new ListingField<string?>("name", FieldAccess.Provider, Text(100, nullable: false), p => p.Name, (p, v) => p.Name = v!),
        new ListingField<string?>("description", FieldAccess.Provider, Text(200), p => p.Description, (p, v) => p.Description = v),
        new ListingField<string?>("longDescription", FieldAccess.Provider, Text(10_000), p => p.LongDescription, (p, v) => p.LongDescription = v),
        new ListingField<string?>("website", FieldAccess.Provider, Url(), p => p.Website, (p, v) => p.Website = v),
        new ListingField<string?>("discord", FieldAccess.Provider, Url(), p => p.Discord, (p, v) => p.Discord = v),
        new ListingField<string?>("country", FieldAccess.Provider, Text(100), p => p.Country, (p, v) => p.Country = v),
        new ListingField<string?>("type", FieldAccess.Provider, OneOf(ProviderTypes), p => p.Type, (p, v) => p.Type = v),

        // Pricing
        new ListingField<List<PricingTier>>("tiers", FieldAccess.Provider, Tiers(), p => p.Tiers, (p, v) => p.Tiers = v,
            SequenceComparer<PricingTier>.Instance),
        new ListingField<string?>("comments", FieldAccess.Provider, Text(1_000), p => p.Comments, (p, v) => p.Comments = v),
        new ListingField<bool?>("hasDiscount", FieldAccess.Provider, Boolean(), p => p.HasDiscount, (p, v) => p.HasDiscount = v),

        // Metrics
        new ListingField<int?>("totalNodes", FieldAccess.Provider, Integer(0), p => p.TotalNodes, (p, v) => p.TotalNodes = v),
        new ListingField<int?>("totalClients", FieldAccess.Provider, Integer(0), p => p.TotalClients, (p, v) => p.TotalClients = v),
        new ListingField<decimal?>("uptimePercentage", FieldAccess.Provider, Number(0, 100), p => p.UptimePercentage, (p, v) => p.UptimePercentage = v),
        new ListingField<decimal?>("responseTimeHours", FieldAccess.Provider, Number(0, null), p => p.ResponseTimeHours, (p, v) => p.ResponseTimeHours = v),
        new ListingField<decimal?>("pnrEligiblePercent", FieldAccess.Provider, Number(0, 100), p => p.PnrEligiblePercent, (p, v) => p.PnrEligiblePercent = v),
        new ListingField<decimal?>("arcaneOsPercent", FieldAccess.Provider, Number(0, 100), p => p.ArcaneOsPercent, (p, v) => p.ArcaneOsPercent = v),

        // Infrastructure
        new ListingField<int?>("dataCenters", FieldAccess.Provider, Integer(0), p => p.DataCenters, (p, v) => p.DataCenters = v),
        new ListingField<decimal?>("sla", FieldAccess.Provider, Number(0, 100), p => p.Sla, (p, v) => p.Sla = v),
        new ListingField<List<string>>("languages", FieldAccess.Provider, StringList(50, LanguageCode), p => p.Languages, (p, v) => p.Languages = v,
            SequenceComparer<string>.Instance),

        // Payment methods
        new ListingField<bool?>("acceptsFlux", FieldAccess.Provider, Boolean(), p => p.AcceptsFlux, (p, v) => p.AcceptsFlux = v),
        new ListingField<bool?>("acceptsStripe", FieldAccess.Provider, Boolean(), p => p.AcceptsStripe, (p, v) => p.AcceptsStripe = v),
        new ListingField<bool?>("acceptsFiat", FieldAccess.Provider, Boolean(), p => p.AcceptsFiat, (p, v) => p.AcceptsFiat = v),

        // Services
        new ListingField<List<string>>("supportChannels", FieldAccess.Provider, StringList(20, SupportChannel), p => p.SupportChannels,
            (p, v) => p.SupportChannels = v, SequenceComparer<string>.Instance),
        new ListingField<bool?>("whiteLabel", FieldAccess.Provider, Boolean(), p => p.WhiteLabel, (p, v) => p.WhiteLabel = v),
        new ListingField<bool?>("autoRenew", FieldAccess.Provider, Boolean(), p => p.AutoRenew, (p, v) => p.AutoRenew = v),
        new ListingField<bool?>("delegationAvailable", FieldAccess.Provider, Boolean(), p => p.DelegationAvailable, (p, v) => p.DelegationAvailable = v),

        // Protected: managed by the directory's operators
        new ListingField<string?>("slug", FieldAccess.Protected, Slug(), p => p.Slug, (p, v) => p.Slug = v!),
        new ListingField<bool>("fluxLabsPartner", FieldAccess.Protected, RequiredBoolean(), p => p.FluxLabsPartner, (p, v) => p.FluxLabsPartner = v),
        new ListingField<bool>("verified", FieldAccess.Protected, RequiredBoolean(), p => p.Verified, (p, v) => p.Verified = v),
        new ListingField<bool>("isDemo", FieldAccess.Protected, RequiredBoolean(), p => p.IsDemo, (p, v) => p.IsDemo = v),
        new ListingField<decimal?>("rating", FieldAccess.Protected, Number(0, 5, maxDecimals: 2), p => p.Rating, (p, v) => p.Rating = v),
        new ListingField<int>("reviewCount", FieldAccess.Protected, RequiredInteger(0), p => p.ReviewCount, (p, v) => p.ReviewCount = v),
    ];

    /// <summary>Fields the directory keeps itself; nobody sets them.</summary>
    public static readonly IReadOnlySet<string> ReadOnly = new HashSet<string>(StringComparer.Ordinal)
    {
        "createdAt", "updatedAt", "lastPushAt", "lastPullAt",
    };

    private static readonly Dictionary<string, ListingField> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static ListingField? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>A field spelled with other letter case, to suggest it when a name is unknown.</summary>
    public static string? Suggest(string name) =>
        All.Select(f => f.Name).Concat(ReadOnly)
            .FirstOrDefault(f => string.Equals(f, name, StringComparison.OrdinalIgnoreCase));

    private static FieldRule<string?> Slug()
    {
        var text = Text(64, nullable: false).Read;
        return new((JsonElement value, string path, FieldErrors errors, out string? parsed) =>
        {
            if (!text(value, path, errors, out parsed))
            {
                return false;
            }

            if (parsed!.Length < 2 || !SlugFormat().IsMatch(parsed))
            {
                errors.Add(path, "must be 2–64 lower-case letters, digits and single hyphens, such as 'my-provider'.");
                parsed = null;
                return false;
            }

            return true;
        },
        new FieldSchema(Microsoft.OpenApi.JsonSchemaType.String, Nullable: false) { MinLength = 2, MaxLength = 64, Pattern = SlugPattern });
    }

    [GeneratedRegex(SlugPattern)]
    public static partial Regex SlugFormat();
}
