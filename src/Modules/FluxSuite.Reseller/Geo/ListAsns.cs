using System.Globalization;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Connections;
using FluxSuite.Reseller.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Geo;

/// <summary><c>GET /geo/asn?country_code=&amp;product_type=</c> (default mobile): the country's mobile network ASNs, each with a username example.</summary>
internal static class ListAsns
{
    [SchemaId("GeoEndpointsAsnItem")]
    internal sealed record AsnItem(
        [property: JsonPropertyName("asn")] int Asn,
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("username_example")] string UsernameExample);

    [SchemaId("GeoEndpointsAsnResponse")]
    internal sealed record AsnResponse(
        [property: JsonPropertyName("product_type")] string ProductType,
        [property: JsonPropertyName("country_code")] string CountryCode,
        [property: JsonPropertyName("asns")] IReadOnlyList<AsnItem> Asns,
        [property: JsonPropertyName("total")] int Total);

    public static ApiOk<Envelope<AsnResponse>> Handle(
        ResellerCaller caller, IOptions<ResellerOptions> options,
        [FromQuery(Name = "country_code")] string? countryCode, [FromQuery(Name = "product_type")] string? productType)
    {
        _ = caller;
        var (product, country) = GeoTargeting.ParseProductAndCountry(productType ?? Product.Mobile.WireName(), countryCode);
        if (!ProxyConnectionInfo.TargetingFor(product).Asn)
        {
            throw new ApiErrorException(ApiError.InvalidField("product_type",
                $"{product.WireName()} has no ASN targeting (mobile, pool1, pool3 and pool4 have)."));
        }

        var user = GeoTargeting.User(product, options.Value);
        var cc = country.Code.ToLowerInvariant();
        var asns = GeoCatalog.Instance.AsnsOf(country.Code)
            .Select(a => new AsnItem(a.Number, a.Name, string.Create(CultureInfo.InvariantCulture, $"{user}-country-{cc}-asn-{a.Number}")))
            .ToList();
        return ApiResults.Ok(Envelope.Of(new AsnResponse(product.WireName(), country.Code, asns, asns.Count)));
    }
}
