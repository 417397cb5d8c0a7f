using System.Linq.Expressions;
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
        Field(p => p.Name, FieldAccess.Provider, Text(100, nullable: false)),
        Field(p => p.Description, FieldAccess.Provider, Text(200)),
        Field(p => p.LongDescription, FieldAccess.Provider, Text(10_000)),
        Field(p => p.Website, FieldAccess.Provider, Url()),
        Field(p => p.Discord, FieldAccess.Provider, Url()),
        Field(p => p.Country, FieldAccess.Provider, Text(100)),
        Field(p => p.Type, FieldAccess.Provider, OneOf(ProviderTypes)),

        // Pricing
        Field(p => p.Tiers, FieldAccess.Provider, Tiers()),
        Field(p => p.Comments, FieldAccess.Provider, Text(1_000)),
        Field(p => p.HasDiscount, FieldAccess.Provider, Boolean()),

        // Metrics
        Field(p => p.TotalNodes, FieldAccess.Provider, Integer(0)),
        Field(p => p.TotalClients, FieldAccess.Provider, Integer(0)),
        Field(p => p.UptimePercentage, FieldAccess.Provider, Number(0, 100)),
        Field(p => p.ResponseTimeHours, FieldAccess.Provider, Number(0, null)),
        Field(p => p.PnrEligiblePercent, FieldAccess.Provider, Number(0, 100)),
        Field(p => p.ArcaneOsPercent, FieldAccess.Provider, Number(0, 100)),

        // Infrastructure
        Field(p => p.DataCenters, FieldAccess.Provider, Integer(0)),
        Field(p => p.Sla, FieldAccess.Provider, Number(0, 100)),
        Field(p => p.Languages, FieldAccess.Provider, StringList(50, LanguageCode)),

        // Payment methods
        Field(p => p.AcceptsFlux, FieldAccess.Provider, Boolean()),
        Field(p => p.AcceptsStripe, FieldAccess.Provider, Boolean()),
        Field(p => p.AcceptsFiat, FieldAccess.Provider, Boolean()),

        // Services
        Field(p => p.SupportChannels, FieldAccess.Provider, StringList(20, SupportChannel)),
        Field(p => p.WhiteLabel, FieldAccess.Provider, Boolean()),
        Field(p => p.AutoRenew, FieldAccess.Provider, Boolean()),
        Field(p => p.DelegationAvailable, FieldAccess.Provider, Boolean()),

        // Protected: managed by the directory's operators
        Field(p => p.Slug, FieldAccess.Protected, Slug()),
        Field(p => p.FluxLabsPartner, FieldAccess.Protected, RequiredBoolean()),
        Field(p => p.Verified, FieldAccess.Protected, RequiredBoolean()),
        Field(p => p.IsDemo, FieldAccess.Protected, RequiredBoolean()),
        Field(p => p.Rating, FieldAccess.Protected, Number(0, 5, maxDecimals: 2)),
        Field(p => p.ReviewCount, FieldAccess.Protected, RequiredInteger(0)),
    ];

    private static ListingField<T> Field<T>(Expression<Func<Provider, T>> property, FieldAccess access, FieldRule<T> rule) =>
        new(property, access, rule);

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
