using System.Net;
using System.Text.Json;
using FluxSuite.Testing;

namespace FluxSuite.Listings.Tests;

/// <summary><c>PATCH /api/providers/{slug}</c>: the reference's examples, partial-update semantics and every field rule.</summary>
[Collection(ListingsCollection.Name)]
public sealed class PushTests(ListingsApp app) : IAsyncLifetime
{
    /// <summary>The reference's "Full Update Example", as the fetch call sends it.</summary>
    public const string FullUpdateExample = """
        {
          "name": "My Provider",
          "description": "Short description for the card (max 200 chars)",
          "longDescription": "Full description shown on the profile page...",
          "website": "https://myprovider.com",
          "discord": "https://discord.gg/XXXXX",
          "country": "Poland",
          "type": "managed",
          "tiers": [
            { "tier": "cumulus",  "price": 7.99,  "planName": "Cumulus" },
            { "tier": "nimbus",   "price": 17.99, "planName": "Nimbus" },
            { "tier": "stratus",  "price": 35.99, "planName": "Stratus" }
          ],
          "comments": "Prices include VAT",
          "hasDiscount": true,
          "totalNodes": 89,
          "totalClients": 51,
          "uptimePercentage": 99.99,
          "responseTimeHours": 0.5,
          "pnrEligiblePercent": 99,
          "arcaneOsPercent": 100,
          "dataCenters": 3,
          "sla": 99.9,
          "languages": ["en", "pl"],
          "acceptsFlux": true,
          "acceptsStripe": true,
          "acceptsFiat": true,
          "supportChannels": ["email", "discord", "phone"],
          "whiteLabel": false,
          "autoRenew": true,
          "delegationAvailable": true
        }
        """;

    public async ValueTask InitializeAsync() => await app.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_the_reference_full_update_example_Then_200_with_the_envelope_and_every_field_stored()
    {
        var client = await app.ProviderClientAsync("your-slug");

        var response = await ListingsApp.PatchAsync(client, "your-slug", FullUpdateExample);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Written as the reference prints it, with \" rather than \u0022.
        Assert.StartsWith("""{"status":"success","message":"Provider \"your-slug\" updated successfully","data":{""",
            await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var body = await JsonHttp.ReadBodyAsync(response);
        Assert.Equal("success", body.GetProperty("status").GetString());
        Assert.Equal("Provider \"your-slug\" updated successfully", body.GetProperty("message").GetString());
        var data = body.GetProperty("data");
        using var sent = JsonDocument.Parse(FullUpdateExample);
        foreach (var field in sent.RootElement.EnumerateObject())
        {
            Assert.True(JsonElement.DeepEquals(field.Value, data.GetProperty(field.Name)), $"{field.Name}: {data.GetProperty(field.Name)}");
        }

        Assert.Equal("your-slug", data.GetProperty("slug").GetString());
        var stored = await JsonHttp.ReadBodyAsync(await app.CreateClient().GetAsync("/api/providers/your-slug"));
        Assert.Equal(89, stored.GetProperty("data").GetProperty("totalNodes").GetInt32());
        Assert.Equal(17.99m, stored.GetProperty("data").GetProperty("tiers")[1].GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task Given_the_reference_partial_update_Then_only_tiers_and_totalNodes_change()
    {
        var client = await app.ProviderClientAsync("your-slug");
        await ListingsApp.PatchAsync(client, "your-slug", FullUpdateExample);

        var response = await ListingsApp.PatchAsync(client, "your-slug", """
            {
              "tiers": [
                { "tier": "cumulus",  "price": 7.49,  "planName": "Cumulus" },
                { "tier": "nimbus",   "price": 16.99, "planName": "Nimbus" },
                { "tier": "stratus",  "price": 34.99, "planName": "Stratus" }
              ],
              "totalNodes": 95
            }
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await JsonHttp.ReadBodyAsync(response)).GetProperty("data");
        Assert.Equal(95, data.GetProperty("totalNodes").GetInt32());
        Assert.Equal([7.49m, 16.99m, 34.99m], data.GetProperty("tiers").EnumerateArray().Select(t => t.GetProperty("price").GetDecimal()));
        Assert.Equal(51, data.GetProperty("totalClients").GetInt32());
        Assert.Equal("Poland", data.GetProperty("country").GetString());
        Assert.Equal(["en", "pl"], data.GetProperty("languages").EnumerateArray().Select(l => l.GetString()));
    }

    [Fact]
    public async Task Given_the_reference_curl_example_Then_the_four_metrics_are_updated()
    {
        var client = await app.ProviderClientAsync("your-slug");

        var response = await ListingsApp.PatchAsync(client, "your-slug", """
            {
                "totalNodes": 95,
                "totalClients": 54,
                "pnrEligiblePercent": 99,
                "arcaneOsPercent": 100
              }
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await JsonHttp.ReadBodyAsync(response)).GetProperty("data");
        Assert.Equal(54, data.GetProperty("totalClients").GetInt32());
        Assert.Equal(100, data.GetProperty("arcaneOsPercent").GetDecimal());
    }

    [Fact]
    public async Task Given_null_for_an_optional_field_Then_it_is_cleared_and_lists_become_empty()
    {
        var client = await app.ProviderClientAsync("acme");
        await ListingsApp.PatchAsync(client, "acme", FullUpdateExample);

        var response = await ListingsApp.PatchAsync(client, "acme", """{"discord": null, "totalNodes": null, "languages": null, "acceptsFiat": null}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await JsonHttp.ReadBodyAsync(response)).GetProperty("data");
        Assert.Equal(JsonValueKind.Null, data.GetProperty("discord").ValueKind);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("totalNodes").ValueKind);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("acceptsFiat").ValueKind);
        Assert.Equal(0, data.GetProperty("languages").GetArrayLength());
        Assert.Equal("https://myprovider.com", data.GetProperty("website").GetString());
    }

    [Fact]
    public async Task Given_null_for_the_name_Then_400_because_a_listing_needs_a_name()
    {
        var client = await app.ProviderClientAsync("acme");

        var response = await ListingsApp.PatchAsync(client, "acme", """{"name": null}""");

        await AssertFieldErrorAsync(response, "name", "must not be null");
    }

    [Fact]
    public async Task Given_a_shorter_array_Then_the_array_is_replaced_whole()
    {
        var client = await app.ProviderClientAsync("acme");
        await ListingsApp.PatchAsync(client, "acme", FullUpdateExample);

        var response = await ListingsApp.PatchAsync(client, "acme",
            """{"tiers": [{"tier": "nimbus", "price": 10, "planName": "N"}], "supportChannels": ["telegram"]}""");

        var data = (await JsonHttp.ReadBodyAsync(response)).GetProperty("data");
        var tier = Assert.Single(data.GetProperty("tiers").EnumerateArray());
        Assert.Equal("nimbus", tier.GetProperty("tier").GetString());
        Assert.Equal(["telegram"], data.GetProperty("supportChannels").EnumerateArray().Select(c => c.GetString()));
    }

    [Theory]
    [InlineData("slug", "\"other-slug\"")]
    [InlineData("fluxLabsPartner", "true")]
    [InlineData("verified", "true")]
    [InlineData("isDemo", "false")]
    [InlineData("rating", "5")]
    [InlineData("reviewCount", "1000")]
    public async Task Given_a_protected_field_Then_400_naming_it_and_nothing_changes(string field, string value)
    {
        var client = await app.ProviderClientAsync("acme");

        var response = await ListingsApp.PatchAsync(client, "acme", $$"""{"totalNodes": 5, "{{field}}": {{value}}}""");

        var body = await AssertFieldErrorAsync(response, field, "cannot be updated via the API");
        Assert.Contains(field, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await app.Database.ScalarAsync<int?>("SELECT count(*)::int FROM listings.providers WHERE total_nodes IS NOT NULL"));
    }

    [Fact]
    public async Task Given_unknown_fields_Then_400_naming_each_of_them_with_a_hint_for_wrong_case()
    {
        var client = await app.ProviderClientAsync("acme");

        var response = await ListingsApp.PatchAsync(client, "acme", """{"totalNodes": 5, "colour": "red", "TotalClients": 3}""");

        var body = await AssertFieldErrorAsync(response, "colour", "is not a known field");
        Assert.Contains("did you mean 'totalClients'", body.GetProperty("errors").GetProperty("TotalClients")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("createdAt")]
    [InlineData("updatedAt")]
    [InlineData("lastPushAt")]
    [InlineData("lastPullAt")]
    public async Task Given_a_field_the_directory_maintains_Then_400_naming_it(string field)
    {
        var client = await app.ProviderClientAsync("acme");

        var response = await ListingsApp.PatchAsync(client, "acme", $$"""{"{{field}}": "2026-01-01T00:00:00Z"}""");

        await AssertFieldErrorAsync(response, field, "cannot be set");
    }

    public static TheoryData<string, string, string> InvalidValues => new()
    {
        { """{"name": ""}""", "name", "must not be empty" },
        { $$"""{"name": "{{new string('n', 101)}}"}""", "name", "at most 100" },
        { $$"""{"description": "{{new string('d', 201)}}"}""", "description", "at most 200" },
        { """{"description": 5}""", "description", "must be a string" },
        { """{"website": "myprovider.com"}""", "website", "absolute http" },
        { """{"website": "ftp://myprovider.com"}""", "website", "absolute http" },
        { """{"discord": "javascript:alert(1)"}""", "discord", "absolute http" },
        { """{"type": "shared"}""", "type", "must be one of" },
        { """{"tiers": {"tier": "nimbus"}}""", "tiers", "must be an array" },
        { """{"tiers": [{"tier": "cirrus", "price": 1}]}""", "tiers[0].tier", "must be one of" },
        { """{"tiers": [{"tier": "nimbus", "price": -0.01}]}""", "tiers[0].price", "0 or more" },
        { """{"tiers": [{"tier": "nimbus", "price": 1.999}]}""", "tiers[0].price", "at most 2 decimal" },
        { """{"tiers": [{"tier": "nimbus", "price": "9.99"}]}""", "tiers[0].price", "must be a number" },
        { """{"tiers": [{"tier": "nimbus"}]}""", "tiers[0].price", "is required" },
        { """{"tiers": [{"price": 1}]}""", "tiers[0].tier", "is required" },
        { """{"tiers": [{"tier": "nimbus", "price": 1, "currency": "EUR"}]}""", "tiers[0].currency", "not a known field" },
        { """{"tiers": [{"tier": "nimbus", "price": 1}, {"tier": "nimbus", "price": 2}]}""", "tiers[1].tier", "more than once" },
        { """{"hasDiscount": "yes"}""", "hasDiscount", "true or false" },
        { """{"totalNodes": -1}""", "totalNodes", "0 or more" },
        { """{"totalNodes": 1.5}""", "totalNodes", "whole number" },
        { """{"totalNodes": "95"}""", "totalNodes", "must be a number" },
        { """{"totalNodes": 2147483648}""", "totalNodes", "between 0 and 2147483647" },
        { """{"totalClients": -3}""", "totalClients", "0 or more" },
        { """{"uptimePercentage": 100.01}""", "uptimePercentage", "between 0 and 100" },
        { """{"uptimePercentage": -0.1}""", "uptimePercentage", "between 0 and 100" },
        { """{"pnrEligiblePercent": 101}""", "pnrEligiblePercent", "between 0 and 100" },
        { """{"arcaneOsPercent": -1}""", "arcaneOsPercent", "between 0 and 100" },
        { """{"responseTimeHours": -0.5}""", "responseTimeHours", "0 or more" },
        { """{"dataCenters": -1}""", "dataCenters", "0 or more" },
        { """{"sla": 100.5}""", "sla", "between 0 and 100" },
        { """{"languages": ["en", "xx"]}""", "languages[1]", "ISO 639-1" },
        { """{"languages": ["EN"]}""", "languages[0]", "ISO 639-1" },
        { """{"languages": ["en", "en"]}""", "languages[1]", "more than once" },
        { """{"languages": "en"}""", "languages", "array of strings" },
        { """{"supportChannels": [""]}""", "supportChannels[0]", "short channel name" },
        { """{"supportChannels": [42]}""", "supportChannels[0]", "must be a string" },
        { """{"acceptsFlux": 1}""", "acceptsFlux", "true or false" },
        { """{"whiteLabel": "false"}""", "whiteLabel", "true or false" },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public async Task Given_a_value_out_of_bounds_Then_400_naming_the_field_and_nothing_is_written(string body, string field, string problem)
    {
        var client = await app.ProviderClientAsync("acme");

        var response = await ListingsApp.PatchAsync(client, "acme", body);

        await AssertFieldErrorAsync(response, field, problem);
        Assert.Equal(0L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM listings.listing_changes WHERE source = 'push'"));
    }

    [Theory]
    [InlineData("""{"uptimePercentage": 0, "pnrEligiblePercent": 100, "sla": 100, "totalNodes": 0}""")]
    [InlineData("""{"tiers": [{"tier": "cumulus", "price": 0}, {"tier": "stratus", "price": 12.5}], "languages": ["zh", "pt"]}""")]
    [InlineData("""{"tiers": [{"tier": "nimbus", "price": 9.99}]}""")]
    [InlineData("""{"responseTimeHours": 0, "dataCenters": 0, "totalClients": 2147483647}""")]
    public async Task Given_values_on_the_bounds_Then_they_are_accepted(string body)
    {
        var client = await app.ProviderClientAsync("acme");

        var response = await ListingsApp.PatchAsync(client, "acme", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Given_one_bad_field_among_good_ones_Then_nothing_is_applied()
    {
        var client = await app.ProviderClientAsync("acme");

        var response = await ListingsApp.PatchAsync(client, "acme", """{"totalNodes": 10, "country": "Poland", "sla": 120, "verified": true}""");

        var body = await AssertFieldErrorAsync(response, "sla", "between 0 and 100");
        Assert.True(body.GetProperty("errors").TryGetProperty("verified", out _));
        var data = (await JsonHttp.ReadBodyAsync(await app.CreateClient().GetAsync("/api/providers/acme"))).GetProperty("data");
        Assert.Equal(JsonValueKind.Null, data.GetProperty("totalNodes").ValueKind);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("country").ValueKind);
    }

    [Theory]
    [InlineData("""{"totalNodes": 95,}""")]
    [InlineData("""{"totalNodes": }""")]
    [InlineData("not json")]
    public async Task Given_malformed_JSON_Then_400_that_says_so(string body)
    {
        var client = await app.ProviderClientAsync("acme");

        var response = await ListingsApp.PatchAsync(client, "acme", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await JsonHttp.ReadBodyAsync(response);
        Assert.Equal("error", error.GetProperty("status").GetString());
        Assert.Contains("Malformed JSON", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "body")]
    [InlineData("{}", null)]
    [InlineData("""{"totalNodes": 1, "totalNodes": 2}""", "totalNodes")]
    public async Task Given_a_body_that_is_not_a_set_of_fields_Then_400(string body, string? field)
    {
        var client = await app.ProviderClientAsync("acme");

        var response = await ListingsApp.PatchAsync(client, "acme", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        if (field is not null)
        {
            Assert.True((await JsonHttp.ReadBodyAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
        }
    }

    [Fact]
    public async Task Given_a_body_that_is_not_JSON_Then_415()
    {
        var client = await app.ProviderClientAsync("acme");

        var response = await client.PatchAsync("/api/providers/acme", new StringContent("totalNodes=5", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Given_a_push_Then_lastPushAt_and_updatedAt_are_set_and_each_change_is_in_the_history()
    {
        var client = await app.ProviderClientAsync("acme");
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        var now = app.Clock.GetUtcNow();

        var data = (await JsonHttp.ReadBodyAsync(await ListingsApp.PatchAsync(client, "acme", """{"totalNodes": 7, "name": "Provider acme"}""")))
            .GetProperty("data");

        Assert.Equal(now, data.GetProperty("lastPushAt").GetDateTimeOffset());
        Assert.Equal(now, data.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.EndsWith("Z", data.GetProperty("updatedAt").GetString(), StringComparison.Ordinal);
        var history = (await JsonHttp.ReadBodyAsync(await app.CreateAdminClient().GetAsync("/admin/providers/acme/history?field=totalNodes")))
            .GetProperty("data").GetProperty("changes");
        var change = Assert.Single(history.EnumerateArray());
        Assert.Equal("push", change.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, change.GetProperty("old").ValueKind);
        Assert.Equal(7, change.GetProperty("new").GetInt32());
        Assert.Equal(0L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM listings.listing_changes WHERE field = 'name' AND source = 'push'"));
    }

    [Fact]
    public async Task Given_fields_sent_with_their_current_values_Then_nothing_changes_but_the_push_is_recorded()
    {
        var created = await app.CreateProviderAsync("acme",
            """" "uptimePercentage": 10, "country": "Poland", "languages": ["en", "de"], "tiers": [{"tier": "nimbus", "price": 12.5, "planName": "Nimbus"}] """");
        var client = app.Factory.CreateBearerClient(await app.IssueKeyAsync("acme"));
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        var now = app.Clock.GetUtcNow();

        var response = await ListingsApp.PatchAsync(client, "acme",
            """{"uptimePercentage": 10.0, "country": "Poland", "languages": ["en", "de"], "tiers": [{"tier": "nimbus", "price": 12.50, "planName": "Nimbus"}]}""");

        var data = (await JsonHttp.ReadBodyAsync(response)).GetProperty("data");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(created.GetProperty("updatedAt").GetDateTimeOffset(), data.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.Equal(now, data.GetProperty("lastPushAt").GetDateTimeOffset());
        Assert.Equal("10", data.GetProperty("uptimePercentage").GetRawText());
        Assert.Equal("12.5", data.GetProperty("tiers")[0].GetProperty("price").GetRawText());
        Assert.Equal(0L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM listings.listing_changes WHERE source = 'push'"));
        Assert.True(await app.Database.ScalarAsync<bool>("SELECT updated_at < last_push_at FROM listings.providers WHERE slug = 'acme'"));
        Assert.Equal("10", await app.Database.ScalarAsync<string>("SELECT uptime_percentage::text FROM listings.providers WHERE slug = 'acme'"));
        // The fields still count as pushed, so pull leaves them alone.
        Assert.True(await app.Database.ScalarAsync<bool>(
            "SELECT pushed_fields ?& ARRAY['uptimePercentage', 'country', 'languages', 'tiers'] FROM listings.providers WHERE slug = 'acme'"));
    }

    [Fact]
    public async Task Given_a_changed_number_and_an_unchanged_one_Then_the_history_has_the_changed_one_as_sent()
    {
        await app.CreateProviderAsync("acme", """" "uptimePercentage": 10, "sla": 99.5 """");
        var client = app.Factory.CreateBearerClient(await app.IssueKeyAsync("acme"));

        var data = (await JsonHttp.ReadBodyAsync(await ListingsApp.PatchAsync(client, "acme", """{"sla": 99.50, "uptimePercentage": 99.90}""")))
            .GetProperty("data");

        Assert.Equal("99.90", data.GetProperty("uptimePercentage").GetRawText());
        Assert.Equal("99.5", data.GetProperty("sla").GetRawText());
        var history = (await JsonHttp.ReadBodyAsync(await app.CreateAdminClient().GetAsync("/admin/providers/acme/history")))
            .GetProperty("data").GetProperty("changes").EnumerateArray().Where(c => c.GetProperty("source").GetString() == "push").ToList();
        var change = Assert.Single(history);
        Assert.Equal("uptimePercentage", change.GetProperty("field").GetString());
        Assert.Equal("10", change.GetProperty("old").GetRawText());
        Assert.Equal("99.90", change.GetProperty("new").GetRawText());
        var stored = (await JsonHttp.ReadBodyAsync(await app.CreateClient().GetAsync("/api/providers/acme"))).GetProperty("data");
        Assert.Equal("99.90", stored.GetProperty("uptimePercentage").GetRawText());
    }

    [Fact]
    public async Task Given_a_cleared_field_and_a_replaced_list_Then_the_history_has_both_old_values()
    {
        await app.CreateProviderAsync("acme", """" "country": "Poland", "supportChannels": ["email", "discord"] """");
        var client = app.Factory.CreateBearerClient(await app.IssueKeyAsync("acme"));

        var response = await ListingsApp.PatchAsync(client, "acme", """{"country": null, "supportChannels": ["discord"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var changes = (await JsonHttp.ReadBodyAsync(await app.CreateAdminClient().GetAsync("/admin/providers/acme/history")))
            .GetProperty("data").GetProperty("changes").EnumerateArray().Where(c => c.GetProperty("source").GetString() == "push").ToList();
        Assert.Equal(["supportChannels", "country"], changes.Select(c => c.GetProperty("field").GetString()));
        Assert.Equal("""["email","discord"]""", changes[0].GetProperty("old").GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Equal("""["discord"]""", changes[0].GetProperty("new").GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Equal("Poland", changes[1].GetProperty("old").GetString());
        Assert.Equal(JsonValueKind.Null, changes[1].GetProperty("new").ValueKind);
    }

    internal static async Task<JsonElement> AssertFieldErrorAsync(HttpResponseMessage response, string field, string problem)
    {
        var body = await JsonHttp.ReadBodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("error", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out var problems), $"no error for {field}: {body}");
        Assert.Contains(problems.EnumerateArray(), p => p.GetString()!.Contains(problem, StringComparison.Ordinal));
        Assert.Contains(field, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        return body;
    }
}
