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

/// <summary>
/// <c>GET /geo/states?product_type=&amp;country_code=</c>: the country's states, written as the product expects
/// (<c>california</c>, <c>us_california</c> or <c>ca</c> depending on the pool), each with a username example.
/// </summary>
internal static class ListStates
{
    [SchemaId("GeoEndpointsStateItem")]
    internal sealed record StateItem(
        [property: JsonPropertyName("code")] string Code,
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("value")] string Value,
        [property: JsonPropertyName("username_example")] string UsernameExample);

    [SchemaId("GeoEndpointsStatesResponse")]
    internal sealed record StatesResponse(
        [property: JsonPropertyName("product_type")] string ProductType,
        [property: JsonPropertyName("country_code")] string CountryCode,
        [property: JsonPropertyName("format")] string Format,
        [property: JsonPropertyName("states")] IReadOnlyList<StateItem> States,
        [property: JsonPropertyName("total")] int Total);

    public static ApiOk<Envelope<StatesResponse>> Handle(
        ResellerCaller caller, IOptions<ResellerOptions> options,
        [FromQuery(Name = "product_type")] string? productType, [FromQuery(Name = "country_code")] string? countryCode)
    {
        _ = caller;
        var (product, country) = GeoTargeting.ParseProductAndCountry(productType, countryCode);
        var format = StateFormat(product, country);
        var user = GeoTargeting.User(product, options.Value);
        var cc = country.Code.ToLowerInvariant();
        var states = GeoCatalog.Instance.StatesOf(country.Code)
            .Select(s => new StateItem(s.Code, s.Name, GeoTargeting.StateValue(format, s), $"{user}-country-{cc}-state-{GeoTargeting.StateValue(format, s)}"))
            .ToList();
        return ApiResults.Ok(Envelope.Of(new StatesResponse(product.WireName(), country.Code, format, states, states.Count)));
    }

    /// <summary>How the product writes a state: <c>california</c>, <c>us_california</c> or <c>ca</c>; 400 when it has no state targeting there.</summary>
    private static string StateFormat(Product product, Country country)
    {
        var format = ProxyConnectionInfo.TargetingFor(product).State
                     ?? throw new ApiErrorException(ApiError.InvalidField("product_type",
                         $"{product.WireName()} has no state targeting (residential, mobile and pool1–pool5 have)."));
        return format == "us_full_name" && country.Code != "US"
            ? throw new ApiErrorException(ApiError.InvalidField("country_code", $"{product.WireName()} targets states in the US only."))
            : format;
    }
}
