using System.Globalization;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Connections;
using FluxSuite.Reseller.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Geo;

/// <summary>
/// <c>GET /geo/countries|states|cities|asn</c>: the values a reseller can paste into a proxy username, written the way
/// the product expects them (a state is <c>california</c>, <c>us_california</c> or <c>ca</c> depending on the pool),
/// each with a ready-made username example. An unknown or untargetable product type, or an unknown country, is a 400.
/// </summary>
internal static class GeoEndpoints
{
    /// <summary>Datacenter, ISP and IPv6 exits are in these countries; residential and mobile products reach every country.</summary>
    public static IReadOnlySet<string> DatacenterCountries { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "US", "CA", "BR", "GB", "DE", "NL", "FR", "ES", "IT", "PL", "SE", "FI", "CH", "JP", "SG", "HK", "KR", "AU", "IN", "ZA",
    };

    internal sealed record CountryItem(
        [property: JsonPropertyName("code")] string Code,
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("value")] string Value,
        [property: JsonPropertyName("username_example")] string UsernameExample);

    internal sealed record CountriesResponse(
        [property: JsonPropertyName("product_type")] string ProductType,
        [property: JsonPropertyName("countries")] IReadOnlyList<CountryItem> Countries,
        [property: JsonPropertyName("total")] int Total);

    internal sealed record StateItem(
        [property: JsonPropertyName("code")] string Code,
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("value")] string Value,
        [property: JsonPropertyName("username_example")] string UsernameExample);

    internal sealed record StatesResponse(
        [property: JsonPropertyName("product_type")] string ProductType,
        [property: JsonPropertyName("country_code")] string CountryCode,
        [property: JsonPropertyName("format")] string Format,
        [property: JsonPropertyName("states")] IReadOnlyList<StateItem> States,
        [property: JsonPropertyName("total")] int Total);

    internal sealed record CityItem(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("value")] string Value,
        [property: JsonPropertyName("state_code")] string StateCode,
        [property: JsonPropertyName("state")] string? State,
        [property: JsonPropertyName("username_example")] string UsernameExample);

    internal sealed record CitiesResponse(
        [property: JsonPropertyName("product_type")] string ProductType,
        [property: JsonPropertyName("country_code")] string CountryCode,
        [property: JsonPropertyName("state_code")] string? StateCode,
        [property: JsonPropertyName("cities")] IReadOnlyList<CityItem> Cities,
        [property: JsonPropertyName("total")] int Total);

    internal sealed record AsnItem(
        [property: JsonPropertyName("asn")] int Asn,
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("username_example")] string UsernameExample);

    internal sealed record AsnResponse(
        [property: JsonPropertyName("product_type")] string ProductType,
        [property: JsonPropertyName("country_code")] string CountryCode,
        [property: JsonPropertyName("asns")] IReadOnlyList<AsnItem> Asns,
        [property: JsonPropertyName("total")] int Total);

    public static ApiOk<Envelope<CountriesResponse>> Countries(
        ResellerCaller caller, IOptions<ResellerOptions> options, [FromQuery(Name = "product_type")] string? productType)
    {
        _ = caller;
        var product = ParseProduct(productType);
        var user = User(product, options.Value);
        var countries = GeoCatalog.Instance.Countries
            .Where(c => !IsDatacenterFamily(product) || DatacenterCountries.Contains(c.Code))
            .Select(c => product == Product.UnlimitedResidential
                ? new CountryItem(c.Code, c.Name, c.Code, $"{user}-region-{c.Code}")
                : new CountryItem(c.Code, c.Name, c.Code.ToLowerInvariant(), $"{user}-country-{c.Code.ToLowerInvariant()}"))
            .ToList();
        return ApiResults.Ok(Envelope.Of(new CountriesResponse(product.WireName(), countries, countries.Count)));
    }

    public static ApiOk<Envelope<StatesResponse>> States(
        ResellerCaller caller, IOptions<ResellerOptions> options,
        [FromQuery(Name = "product_type")] string? productType, [FromQuery(Name = "country_code")] string? countryCode)
    {
        _ = caller;
        var (product, country) = ParseProductAndCountry(productType, countryCode);
        var format = StateFormat(product, country);
        var user = User(product, options.Value);
        var cc = country.Code.ToLowerInvariant();
        var states = GeoCatalog.Instance.StatesOf(country.Code)
            .Select(s => new StateItem(s.Code, s.Name, StateValue(format, s), $"{user}-country-{cc}-state-{StateValue(format, s)}"))
            .ToList();
        return ApiResults.Ok(Envelope.Of(new StatesResponse(product.WireName(), country.Code, format, states, states.Count)));
    }

    public static ApiOk<Envelope<CitiesResponse>> Cities(
        ResellerCaller caller, IOptions<ResellerOptions> options,
        [FromQuery(Name = "product_type")] string? productType, [FromQuery(Name = "country_code")] string? countryCode,
        [FromQuery(Name = "state_code")] string? stateCode)
    {
        _ = caller;
        var (product, country) = ParseProductAndCountry(productType, countryCode);
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
        var user = User(product, options.Value);
        var cc = country.Code.ToLowerInvariant();
        var cities = GeoCatalog.Instance.CitiesOf(country.Code)
            .Where(c => stateFilter is null || c.StateCode == stateFilter)
            .Select(c =>
            {
                var state = stateFormat is null ? null : StateValue(stateFormat, states[c.StateCode]);
                var value = GeoCatalog.Slug(c.Name);
                var example = withState ? $"{user}-country-{cc}-state-{state}-city-{value}" : $"{user}-country-{cc}-city-{value}";
                return new CityItem(c.Name, value, c.StateCode, state, example);
            })
            .ToList();
        return ApiResults.Ok(Envelope.Of(new CitiesResponse(product.WireName(), country.Code, stateFilter, cities, cities.Count)));
    }

    public static ApiOk<Envelope<AsnResponse>> Asn(
        ResellerCaller caller, IOptions<ResellerOptions> options,
        [FromQuery(Name = "country_code")] string? countryCode, [FromQuery(Name = "product_type")] string? productType)
    {
        _ = caller;
        var (product, country) = ParseProductAndCountry(productType ?? Product.Mobile.WireName(), countryCode);
        if (!ProxyConnectionInfo.TargetingFor(product).Asn)
        {
            throw new ApiErrorException(ApiError.InvalidField("product_type",
                $"{product.WireName()} has no ASN targeting (mobile, pool1, pool3 and pool4 have)."));
        }

        var user = User(product, options.Value);
        var cc = country.Code.ToLowerInvariant();
        var asns = GeoCatalog.Instance.AsnsOf(country.Code)
            .Select(a => new AsnItem(a.Number, a.Name, string.Create(CultureInfo.InvariantCulture, $"{user}-country-{cc}-asn-{a.Number}")))
            .ToList();
        return ApiResults.Ok(Envelope.Of(new AsnResponse(product.WireName(), country.Code, asns, asns.Count)));
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

    public static string StateValue(string format, State state) => format switch
    {
        "us_prefixed" => $"{state.CountryCode.ToLowerInvariant()}_{GeoCatalog.Slug(state.Name)}",
        "two_letter" => state.Code.ToLowerInvariant(),
        _ => GeoCatalog.Slug(state.Name),
    };

    private static State? FindState(IEnumerable<State> states, Country country, string given, string? format)
    {
        var code = given.Trim();
        if (code.StartsWith(country.Code + "-", StringComparison.OrdinalIgnoreCase))
        {
            code = code[(country.Code.Length + 1)..];
        }

        return states.FirstOrDefault(s => string.Equals(s.Code, code, StringComparison.OrdinalIgnoreCase)
                                          || GeoCatalog.Slug(s.Name) == GeoCatalog.Slug(code)
                                          || (format is not null && string.Equals(StateValue(format, s), code, StringComparison.OrdinalIgnoreCase)));
    }

    private static (Product Product, Country Country) ParseProductAndCountry(string? productType, string? countryCode)
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

    private static Product ParseProduct(string? productType)
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

    private static bool IsDatacenterFamily(Product product) =>
        product is Product.Datacenter or Product.SharedIsp or Product.Ipv6Datacenter or Product.Ipv6Residential;

    /// <summary>The start of a username for the product: <c>user</c>, <c>user-package-pool3</c>, <c>user-zone-custom</c>.</summary>
    private static string User(Product product, ResellerOptions options) => "user" + options.ConnectionFor(product).UsernameSuffix;
}
