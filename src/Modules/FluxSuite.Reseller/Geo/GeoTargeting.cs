using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Catalog;

namespace FluxSuite.Reseller.Geo;

/// <summary>
/// What the geo routes (<c>GET /geo/countries|states|cities|asn</c>) share: the values a reseller can paste into a proxy
/// username, written the way the product expects them (a state is <c>california</c>, <c>us_california</c> or <c>ca</c>
/// depending on the pool), each with a ready-made username example. An unknown or untargetable product type, or an
/// unknown country, is a 400.
/// </summary>
internal static class GeoTargeting
{
    public static string StateValue(string format, State state) => format switch
    {
        "us_prefixed" => $"{state.CountryCode.ToLowerInvariant()}_{GeoCatalog.Slug(state.Name)}",
        "two_letter" => state.Code.ToLowerInvariant(),
        _ => GeoCatalog.Slug(state.Name),
    };

    public static (Product Product, Country Country) ParseProductAndCountry(string? productType, string? countryCode)
    {
        var errors = new FieldErrors();
        Product product = default;
        try
        {
            product = ParseProduct(productType);
        }
        catch (ApiErrorException rule) when (rule.Error.Errors is { } fields)
        {
            foreach (var (field, problems) in fields)
            {
                errors.Add(field, string.Join(" ", problems));
            }
        }

        Country? country = null;
        if (string.IsNullOrWhiteSpace(countryCode))
        {
            errors.Add("country_code", "is required: an ISO 3166 country code such as US (GET /geo/countries lists them).");
        }
        else if ((country = GeoCatalog.Instance.FindCountry(countryCode.Trim())) is null)
        {
            errors.Add("country_code", $"'{countryCode}' is not a country; use an ISO 3166 code such as US, GB or DE (GET /geo/countries lists them).");
        }

        errors.ThrowIfAny();
        return (product, country!);
    }

    public static Product ParseProduct(string? productType)
    {
        if (string.IsNullOrWhiteSpace(productType))
        {
            throw new ApiErrorException(ApiError.InvalidField("product_type", $"is required: one of {Targetable}."));
        }

        if (!Products.TryParse(productType, out var product))
        {
            throw new ApiErrorException(ApiError.InvalidField("product_type", $"'{productType}' is not a product type; one of {Targetable}."));
        }

        return product is Product.DedicatedMobile or Product.DedicatedIsp
            ? throw new ApiErrorException(ApiError.InvalidField("product_type", $"{productType} has no geo targeting (its IPs are fixed); one of {Targetable}."))
            : product;
    }

    /// <summary>The products with geo targeting: every product_type the geo routes take.</summary>
    internal static IReadOnlyList<string> TargetableProducts { get; } =
        [.. Products.All.Where(p => p is not (Product.DedicatedMobile or Product.DedicatedIsp)).Select(p => p.WireName())];

    private static string Targetable { get; } = string.Join(", ", TargetableProducts);

    /// <summary>The start of a username for the product: <c>user</c>, <c>user-package-pool3</c>, <c>user-zone-custom</c>.</summary>
    public static string User(Product product, ResellerOptions options) => "user" + options.ConnectionFor(product).UsernameSuffix;
}
