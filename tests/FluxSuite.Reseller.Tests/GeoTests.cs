using System.Net;
using System.Text.Json;

namespace FluxSuite.Reseller.Tests;

/// <summary><c>GET /geo/…</c>: shipped data, per-product formats (california, us_california, ca) and the 400s.</summary>
[Collection(ResellerCollection.Name)]
public sealed class GeoTests(ResellerApp app) : IAsyncLifetime
{
    private TestReseller _reseller = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        _reseller = await app.CreateResellerAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_a_residential_product_Then_every_country_is_listed_with_its_username_value(string mode)
    {
        var data = await Geo(mode, "countries?product_type=residential");

        var countries = data.GetProperty("countries").EnumerateArray().ToList();
        Assert.True(countries.Count > 200, $"{countries.Count} countries");
        Assert.Equal(countries.Count, data.GetProperty("total").GetInt32());
        var us = countries.Single(c => c.GetProperty("code").GetString() == "US");
        Assert.Equal(("United States", "us", "user-country-us"),
            (us.GetProperty("name").GetString(), us.GetProperty("value").GetString(), us.GetProperty("username_example").GetString()));
    }

    [Theory]
    [InlineData("datacenter", false, "user-country-de")]
    [InlineData("pool2", true, "user-package-pool2-country-de")]
    [InlineData("unlimited_residential", true, "user-zone-custom-region-DE")]
    [InlineData("ipv6-residential", false, "user-package-ipv6-country-de")]
    public async Task Given_other_products_Then_countries_follow_their_coverage_and_username_syntax(string product, bool everywhere, string germany)
    {
        var countries = (await Geo("live", $"countries?product_type={product}")).GetProperty("countries").EnumerateArray().ToList();

        Assert.Equal(germany, countries.Single(c => c.GetProperty("code").GetString() == "DE").GetProperty("username_example").GetString());
        Assert.Equal(everywhere, countries.Any(c => c.GetProperty("code").GetString() == "KE"));
    }

    [Theory]
    [InlineData("residential", "full_name", "california", "user-country-us-state-california")]
    [InlineData("mobile", "full_name", "california", "user-country-us-state-california")]
    [InlineData("pool1", "us_full_name", "california", "user-package-pool1-country-us-state-california")]
    [InlineData("pool2", "full_name", "california", "user-package-pool2-country-us-state-california")]
    [InlineData("pool3", "us_prefixed", "us_california", "user-package-pool3-country-us-state-us_california")]
    [InlineData("pool4", "two_letter", "ca", "user-package-pool4-country-us-state-ca")]
    [InlineData("pool5", "us_full_name", "california", "user-package-pool5-country-us-state-california")]
    public async Task Given_a_product_Then_states_are_written_in_its_format(string product, string format, string california, string example)
    {
        var data = await Geo("live", $"states?product_type={product}&country_code=us");

        Assert.Equal((format, "US"), (data.GetProperty("format").GetString(), data.GetProperty("country_code").GetString()));
        var states = data.GetProperty("states").EnumerateArray().ToList();
        Assert.Equal(51, states.Count);
        var ca = states.Single(s => s.GetProperty("code").GetString() == "CA");
        Assert.Equal((california, example), (ca.GetProperty("value").GetString(), ca.GetProperty("username_example").GetString()));
        var newYork = format switch { "us_prefixed" => "us_newyork", "two_letter" => "ny", _ => "newyork" };
        Assert.Equal(newYork, states.Single(s => s.GetProperty("code").GetString() == "NY").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Given_a_country_outside_the_US_Then_states_come_in_English_and_the_uk_alias_works()
    {
        var germany = await Geo("live", "states?product_type=residential&country_code=DE");
        var britain = await Geo("test", "states?product_type=pool3&country_code=UK");
        var sweden = await Geo("live", "states?product_type=residential&country_code=SE");

        var bavaria = germany.GetProperty("states").EnumerateArray().Single(s => s.GetProperty("code").GetString() == "BY");
        Assert.Equal(("Bavaria", "bavaria"), (bavaria.GetProperty("name").GetString(), bavaria.GetProperty("value").GetString()));
        Assert.Equal("GB", britain.GetProperty("country_code").GetString());
        Assert.Contains(britain.GetProperty("states").EnumerateArray(), s => s.GetProperty("value").GetString() == "gb_scotland");
        Assert.Equal(0, sweden.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("residential", "CA", "user-country-us-state-california-city-losangeles")]
    [InlineData("pool1", "california", "user-package-pool1-country-us-state-california-city-losangeles")]
    [InlineData("pool3", "us_california", "user-package-pool3-country-us-city-losangeles")]
    [InlineData("pool5", "US-CA", "user-package-pool5-country-us-state-california-city-losangeles")]
    public async Task Given_a_state_Then_cities_are_narrowed_to_it_with_the_products_username(string product, string state, string losAngeles)
    {
        var data = await Geo("live", $"cities?product_type={product}&country_code=US&state_code={state}");

        var cities = data.GetProperty("cities").EnumerateArray().ToList();
        Assert.All(cities, c => Assert.Equal("CA", c.GetProperty("state_code").GetString()));
        Assert.Equal("CA", data.GetProperty("state_code").GetString());
        var la = cities.Single(c => c.GetProperty("name").GetString() == "Los Angeles");
        Assert.Equal(("losangeles", losAngeles), (la.GetProperty("value").GetString(), la.GetProperty("username_example").GetString()));
    }

    [Fact]
    public async Task Given_pool5_outside_the_US_Then_cities_are_targeted_directly()
    {
        var data = await Geo("test", "cities?product_type=pool5&country_code=gb");

        var london = data.GetProperty("cities").EnumerateArray().Single(c => c.GetProperty("value").GetString() == "london");
        Assert.Equal("user-package-pool5-country-gb-city-london", london.GetProperty("username_example").GetString());
        Assert.Equal(JsonValueKind.Null, london.GetProperty("state").ValueKind);
    }

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_mobile_Then_asns_of_the_country_are_listed_ready_to_paste(string mode)
    {
        var defaulted = await Geo(mode, "asn?country_code=US");
        var pool3 = await Geo(mode, "asn?country_code=de&product_type=pool3");

        Assert.Equal("mobile", defaulted.GetProperty("product_type").GetString());
        var tmobile = defaulted.GetProperty("asns").EnumerateArray().Single(a => a.GetProperty("asn").GetInt32() == 21928);
        Assert.Equal("user-country-us-asn-21928", tmobile.GetProperty("username_example").GetString());
        Assert.Contains(pool3.GetProperty("asns").EnumerateArray(), a => a.GetProperty("username_example").GetString() == "user-package-pool3-country-de-asn-3320");
    }

    [Theory]
    [InlineData("countries", "product_type")]
    [InlineData("countries?product_type=string", "product_type")]
    [InlineData("countries?product_type=dedicated_isp", "product_type")]
    [InlineData("states?product_type=residential", "country_code")]
    [InlineData("states?product_type=string&country_code=string", "product_type")]
    [InlineData("states?product_type=residential&country_code=XX", "country_code")]
    [InlineData("states?product_type=datacenter&country_code=US", "product_type")]
    [InlineData("states?product_type=pool1&country_code=DE", "country_code")]
    [InlineData("cities?product_type=string&country_code=string&state_code=string", "country_code")]
    [InlineData("cities?product_type=residential&country_code=US&state_code=atlantis", "state_code")]
    [InlineData("cities?product_type=residential-lite&country_code=US", "product_type")]
    [InlineData("cities?product_type=pool1&country_code=FR", "country_code")]
    [InlineData("asn?country_code=string&product_type=mobile", "country_code")]
    [InlineData("asn?product_type=mobile", "country_code")]
    [InlineData("asn?country_code=US&product_type=residential", "product_type")]
    [InlineData("asn?country_code=US&product_type=dedicated_mobile", "product_type")]
    public async Task Given_an_unknown_or_untargetable_product_type_or_an_unknown_country_Then_400_naming_it(string query, string field)
    {
        foreach (var mode in new[] { "live", "test" })
        {
            await Api.ValidationErrorAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/geo/{query}"), field);
        }
    }

    private async Task<JsonElement> Geo(string mode, string query)
    {
        var response = await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/geo/{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await Api.DataAsync(response);
    }
}
