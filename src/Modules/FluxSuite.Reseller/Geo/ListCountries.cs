using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Geo;

/// <summary><c>GET /geo/countries?product_type=</c>: the countries the product reaches, each with a username example.</summary>
internal static class ListCountries
{
    /// <summary>Datacenter, ISP and IPv6 exits are in these countries; residential and mobile products reach every country.</summary>
    public static IReadOnlySet<string> DatacenterCountries { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "US", "CA", "BR", "GB", "DE", "NL", "FR", "ES", "IT", "PL", "SE", "FI", "CH", "JP", "SG", "HK", "KR", "AU", "IN", "ZA",
    };

    [SchemaId("GeoEndpointsCountryItem")]
    internal sealed record CountryItem(
        [property: JsonPropertyName("code")] string Code,
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("value")] string Value,
        [property: JsonPropertyName("username_example")] string UsernameExample);

    [SchemaId("GeoEndpointsCountriesResponse")]
    internal sealed record CountriesResponse(
        [property: JsonPropertyName("product_type")] string ProductType,
        [property: JsonPropertyName("countries")] IReadOnlyList<CountryItem> Countries,
        [property: JsonPropertyName("total")] int Total);

    public static ApiOk<Envelope<CountriesResponse>> Handle(
        ResellerCaller caller, IOptions<ResellerOptions> options, [FromQuery(Name = "product_type")] string? productType)
    {
        _ = caller;
        var product = GeoTargeting.ParseProduct(productType);
        var user = GeoTargeting.User(product, options.Value);
        var countries = GeoCatalog.Instance.Countries
            .Where(c => !IsDatacenterFamily(product) || DatacenterCountries.Contains(c.Code))
            .Select(c => product == Product.UnlimitedResidential
                ? new CountryItem(c.Code, c.Name, c.Code, $"{user}-region-{c.Code}")
                : new CountryItem(c.Code, c.Name, c.Code.ToLowerInvariant(), $"{user}-country-{c.Code.ToLowerInvariant()}"))
            .ToList();
        return ApiResults.Ok(Envelope.Of(new CountriesResponse(product.WireName(), countries, countries.Count)));
    }

    private static bool IsDatacenterFamily(Product product) =>
        product is Product.Datacenter or Product.SharedIsp or Product.Ipv6Datacenter or Product.Ipv6Residential;
}
