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
/// <c>GET /geo/cities?product_type=&amp;country_code=&amp;state_code=</c>: the country's cities (of one state with
/// <c>state_code</c>), each with a username example that names the state where the product needs it.
/// </summary>
internal static class ListCities
{
    [SchemaId("GeoEndpointsCityItem")]
    internal sealed record CityItem(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("value")] string Value,
        [property: JsonPropertyName("state_code")] string StateCode,
        [property: JsonPropertyName("state")] string? State,
        [property: JsonPropertyName("username_example")] string UsernameExample);

    [SchemaId("GeoEndpointsCitiesResponse")]
    internal sealed record CitiesResponse(
        [property: JsonPropertyName("product_type")] string ProductType,
        [property: JsonPropertyName("country_code")] string CountryCode,
        [property: JsonPropertyName("state_code")] string? StateCode,
        [property: JsonPropertyName("cities")] IReadOnlyList<CityItem> Cities,
        [property: JsonPropertyName("total")] int Total);

    public static ApiOk<Envelope<CitiesResponse>> Handle(
        ResellerCaller caller, IOptions<ResellerOptions> options,
        [FromQuery(Name = "product_type")] string? productType, [FromQuery(Name = "country_code")] string? countryCode,
        [FromQuery(Name = "state_code")] string? stateCode)
    {
        _ = caller;
        var (product, country) = GeoTargeting.ParseProductAndCountry(productType, countryCode);
        var targeting = ProxyConnectionInfo.TargetingFor(product);
        if (targeting.City is null)
        {
            throw new ApiErrorException(ApiError.InvalidField("product_type",
                $"{product.WireName()} has no city targeting (residential, mobile and pool1–pool5 have)."));
        }

        var isUs = country.Code == "US";
        if (targeting.City == "us_needs_state" && !isUs)
        {
            throw new ApiErrorException(ApiError.InvalidField("country_code", $"{product.WireName()} targets cities in the US only."));
        }

        var stateFormat = targeting.State is "us_full_name" && !isUs ? null : targeting.State;
        var states = GeoCatalog.Instance.StatesOf(country.Code).ToDictionary(s => s.Code, StringComparer.Ordinal);
        string? stateFilter = null;
        if (!string.IsNullOrWhiteSpace(stateCode))
        {
            stateFilter = FindState(states.Values, country, stateCode, stateFormat)?.Code
                          ?? throw new ApiErrorException(ApiError.InvalidField("state_code",
                              $"'{stateCode}' is not a state of {country.Code}; GET /geo/states lists them."));
        }

        // Where a city needs its state in the username (US cities of pool1 and pool5; residential and mobile as the reference writes it).
        var withState = stateFormat is not null
                        && (targeting.City == "us_needs_state" || (targeting.City == "non_us_direct_us_needs_state" && isUs)
                            || product is Product.Residential or Product.Mobile);
        var user = GeoTargeting.User(product, options.Value);
        var cc = country.Code.ToLowerInvariant();
        var cities = GeoCatalog.Instance.CitiesOf(country.Code)
            .Where(c => stateFilter is null || c.StateCode == stateFilter)
            .Select(c =>
            {
                var state = stateFormat is null ? null : GeoTargeting.StateValue(stateFormat, states[c.StateCode]);
                var value = GeoCatalog.Slug(c.Name);
                var example = withState ? $"{user}-country-{cc}-state-{state}-city-{value}" : $"{user}-country-{cc}-city-{value}";
                return new CityItem(c.Name, value, c.StateCode, state, example);
            })
            .ToList();
        return ApiResults.Ok(Envelope.Of(new CitiesResponse(product.WireName(), country.Code, stateFilter, cities, cities.Count)));
    }

    private static State? FindState(IEnumerable<State> states, Country country, string given, string? format)
    {
        var code = given.Trim();
        if (code.StartsWith(country.Code + "-", StringComparison.OrdinalIgnoreCase))
        {
            code = code[(country.Code.Length + 1)..];
        }

        return states.FirstOrDefault(s => string.Equals(s.Code, code, StringComparison.OrdinalIgnoreCase)
                                          || GeoCatalog.Slug(s.Name) == GeoCatalog.Slug(code)
                                          || (format is not null && string.Equals(GeoTargeting.StateValue(format, s), code, StringComparison.OrdinalIgnoreCase)));
    }
}
