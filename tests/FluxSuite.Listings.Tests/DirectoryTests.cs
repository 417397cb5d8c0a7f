using System.Net;
using System.Text.Json;
using FluxSuite.Testing;

namespace FluxSuite.Listings.Tests;

/// <summary><c>GET /api/providers</c> and <c>GET /api/providers/{slug}</c>: filters, sorts, paging, demo listings.</summary>
[Collection(ListingsCollection.Name)]
public sealed class DirectoryTests(ListingsApp app) : IAsyncLifetime
{
    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        await app.CreateProviderAsync("alpha", """
            "name": "Alpha Nodes", "description": "Managed Flux nodes in Poland", "type": "managed", "country": "Poland",
            "verified": true, "rating": 4.8, "totalNodes": 120, "uptimePercentage": 99.95, "acceptsFlux": true, "acceptsStripe": true, "acceptsFiat": false,
            "tiers": [{"tier": "cumulus", "price": 7.99, "planName": "C"}, {"tier": "nimbus", "price": 17.99, "planName": "N"}]
            """);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.CreateProviderAsync("bravo", """
            "name": "Bravo Hosting", "description": "Dedicated_servers 100% uptime", "type": "dedicated", "country": "germany",
            "verified": false, "rating": 4.2, "totalNodes": 300, "uptimePercentage": 99.5, "acceptsFlux": false, "acceptsStripe": true, "acceptsFiat": true,
            "tiers": [{"tier": "nimbus", "price": 12.5, "planName": "N"}, {"tier": "stratus", "price": 30, "planName": "S"}]
            """);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.CreateProviderAsync("charlie", """
            "name": "Charlie Cloud", "type": "selfSetup", "country": "Germany", "verified": true, "totalNodes": 40,
            "acceptsFlux": true, "tiers": [{"tier": "nimbus", "price": 25, "planName": "N"}]
            """);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.CreateProviderAsync("demo-one", """
            "name": "Demo Provider", "type": "managed", "isDemo": true, "rating": 5, "totalNodes": 999, "verified": true
            """);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_no_parameters_Then_non_demo_listings_sorted_by_rating_with_a_total()
    {
        var data = await ListAsync(string.Empty);

        Assert.Equal(["alpha", "bravo", "charlie"], Slugs(data));
        Assert.Equal(3, data.GetProperty("total").GetInt64());
        Assert.Equal(1, data.GetProperty("page").GetInt32());
        Assert.Equal(20, data.GetProperty("pageSize").GetInt32());
        Assert.Equal(1, data.GetProperty("totalPages").GetInt32());
    }

    [Fact]
    public async Task Given_includeDemo_Then_demo_listings_are_shown()
    {
        Assert.Equal(["demo-one", "alpha", "bravo", "charlie"], Slugs(await ListAsync("includeDemo=true")));
        Assert.Equal(3, (await ListAsync("includeDemo=false")).GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("type=dedicated", new[] { "bravo" })]
    [InlineData("type=managed&includeDemo=true", new[] { "demo-one", "alpha" })]
    [InlineData("country=germany", new[] { "bravo", "charlie" })]
    [InlineData("country=POLAND", new[] { "alpha" })]
    [InlineData("tier=cumulus", new[] { "alpha" })]
    [InlineData("tier=stratus", new[] { "bravo" })]
    [InlineData("verified=true", new[] { "alpha", "charlie" })]
    [InlineData("verified=false", new[] { "bravo" })]
    [InlineData("acceptsFlux=true", new[] { "alpha", "charlie" })]
    [InlineData("acceptsStripe=true", new[] { "alpha", "bravo" })]
    [InlineData("acceptsFiat=true", new[] { "bravo" })]
    [InlineData("acceptsFiat=false", new[] { "alpha" })]
    [InlineData("q=cloud", new[] { "charlie" })]
    [InlineData("q=POLAND", new[] { "alpha" })]
    [InlineData("q=100%25", new[] { "bravo" })]
    [InlineData("q=_servers", new[] { "bravo" })]
    [InlineData("q=nothing-matches", new string[0])]
    [InlineData("verified=true&acceptsFlux=true&country=germany", new[] { "charlie" })]
    public async Task Given_a_filter_Then_only_matching_listings(string query, string[] expected)
    {
        Assert.Equal(expected, Slugs(await ListAsync(query)));
    }

    [Theory]
    [InlineData("sort=rating", new[] { "alpha", "bravo", "charlie" })]
    [InlineData("sort=rating&order=asc", new[] { "bravo", "alpha", "charlie" })]
    [InlineData("sort=price&tier=nimbus", new[] { "bravo", "alpha", "charlie" })]
    [InlineData("sort=price&tier=nimbus&order=desc", new[] { "charlie", "alpha", "bravo" })]
    [InlineData("sort=totalNodes", new[] { "bravo", "alpha", "charlie" })]
    [InlineData("sort=totalNodes&order=asc", new[] { "charlie", "alpha", "bravo" })]
    [InlineData("sort=uptimePercentage", new[] { "alpha", "bravo", "charlie" })]
    [InlineData("sort=name", new[] { "alpha", "bravo", "charlie" })]
    [InlineData("sort=name&order=desc", new[] { "charlie", "bravo", "alpha" })]
    [InlineData("sort=updatedAt", new[] { "charlie", "bravo", "alpha" })]
    [InlineData("sort=updatedAt&order=asc", new[] { "alpha", "bravo", "charlie" })]
    public async Task Given_a_sort_Then_listings_come_in_that_order_with_missing_values_last(string query, string[] expected)
    {
        Assert.Equal(expected, Slugs(await ListAsync(query)));
    }

    [Fact]
    public async Task Given_a_push_that_changes_tiers_Then_the_tier_filter_and_the_price_sort_follow_it()
    {
        var alpha = app.Factory.CreateBearerClient(await app.IssueKeyAsync("alpha"));

        // Alpha's nimbus becomes the cheapest, its cumulus tier goes and a stratus tier comes.
        Assert.Equal(HttpStatusCode.OK, (await ListingsApp.PatchAsync(alpha, "alpha", """
            {"tiers": [{"tier": "nimbus", "price": 9.5, "planName": "N"}, {"tier": "stratus", "price": 31.25, "planName": "S"}]}
            """)).StatusCode);

        Assert.Equal(["alpha", "bravo", "charlie"], Slugs(await ListAsync("sort=price&tier=nimbus")));
        Assert.Empty(Slugs(await ListAsync("tier=cumulus")));
        Assert.Equal(["bravo", "alpha"], Slugs(await ListAsync("sort=price&tier=stratus")));
        Assert.Equal(["alpha", "bravo"], Slugs(await ListAsync("sort=price&tier=stratus&order=desc")));
    }

    [Fact]
    public async Task Given_pages_Then_each_page_holds_its_slice_and_the_total_counts_all()
    {
        var first = await ListAsync("sort=name&pageSize=2");
        var second = await ListAsync("sort=name&pageSize=2&page=2");
        var beyond = await ListAsync("sort=name&pageSize=2&page=3");

        Assert.Equal(["alpha", "bravo"], Slugs(first));
        Assert.Equal(["charlie"], Slugs(second));
        Assert.Empty(Slugs(beyond));
        Assert.All(new[] { first, second, beyond }, d => Assert.Equal(3, d.GetProperty("total").GetInt64()));
        Assert.Equal(2, first.GetProperty("totalPages").GetInt32());
    }

    [Theory]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("type=shared", "type")]
    [InlineData("tier=cirrus", "tier")]
    [InlineData("sort=popularity", "sort")]
    [InlineData("sort=price", "tier")]
    [InlineData("order=up", "order")]
    public async Task Given_a_bad_parameter_Then_400_naming_it(string query, string field)
    {
        var response = await app.CreateClient().GetAsync($"/api/providers?{query}");

        await PushTests.AssertFieldErrorAsync(response, field, string.Empty);
    }

    [Theory]
    [InlineData("verified=yes", "verified", "true or false")]
    [InlineData("acceptsFlux=1", "acceptsFlux", "true or false")]
    [InlineData("includeDemo=maybe", "includeDemo", "true or false")]
    [InlineData("page=two", "page", "whole number")]
    [InlineData("pageSize=-5", "pageSize", "whole number")]
    public async Task Given_a_parameter_of_the_wrong_type_Then_400_naming_it(string query, string field, string problem)
    {
        var response = await app.CreateClient().GetAsync($"/api/providers?{query}");

        await PushTests.AssertFieldErrorAsync(response, field, problem);
    }

    [Fact]
    public async Task Given_pageSize_100_Then_it_is_allowed()
    {
        Assert.Equal(100, (await ListAsync("pageSize=100")).GetProperty("pageSize").GetInt32());
    }

    [Fact]
    public async Task Given_a_slug_Then_that_listing_and_404_for_an_unknown_one()
    {
        var found = await app.CreateClient().GetAsync("/api/providers/bravo");
        var missing = await app.CreateClient().GetAsync("/api/providers/nobody");

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var data = (await JsonHttp.ReadBodyAsync(found)).GetProperty("data");
        Assert.Equal("Bravo Hosting", data.GetProperty("name").GetString());
        Assert.Equal(12.5m, data.GetProperty("tiers")[0].GetProperty("price").GetDecimal());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("error", (await JsonHttp.ReadBodyAsync(missing)).GetProperty("status").GetString());
    }

    private async Task<JsonElement> ListAsync(string query)
    {
        var response = await app.CreateClient().GetAsync($"/api/providers?{query}");
        var body = await JsonHttp.ReadBodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("success", body.GetProperty("status").GetString());
        return body.GetProperty("data");
    }

    private static string[] Slugs(JsonElement data) =>
        [.. data.GetProperty("providers").EnumerateArray().Select(p => p.GetProperty("slug").GetString()!)];
}
