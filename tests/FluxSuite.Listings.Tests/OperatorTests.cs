using System.Net;
using System.Text.Json;
using FluxSuite.Testing;
using Npgsql;

namespace FluxSuite.Listings.Tests;

/// <summary>The operator's listing routes and the append-only history.</summary>
[Collection(ListingsCollection.Name)]
public sealed class OperatorTests(ListingsApp app) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await app.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_a_new_provider_Then_201_with_its_location_the_listing_and_defaults()
    {
        var response = await app.CreateAdminClient().PostAsync("/admin/providers",
            JsonHttp.RequestBody("""{"slug": "acme-nodes", "name": "Acme Nodes", "verified": true, "totalNodes": 4}"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/providers/acme-nodes", response.Headers.Location?.OriginalString);
        var body = await JsonHttp.ReadBodyAsync(response);
        Assert.Equal("success", body.GetProperty("status").GetString());
        var data = body.GetProperty("data");
        Assert.True(data.GetProperty("verified").GetBoolean());
        Assert.False(data.GetProperty("isDemo").GetBoolean());
        Assert.Equal(0, data.GetProperty("reviewCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("rating").ValueKind);
        Assert.Equal(0, data.GetProperty("tiers").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/api/providers/acme-nodes")).StatusCode);
    }

    [Theory]
    [InlineData("""{"name": "No slug"}""", "slug", "is required")]
    [InlineData("""{"slug": "no-name"}""", "name", "is required")]
    [InlineData("""{"slug": "Bad Slug", "name": "x"}""", "slug", "lower-case")]
    [InlineData("""{"slug": "a", "name": "x"}""", "slug", "2–64")]
    [InlineData("""{"slug": "ok-slug", "name": "x", "rating": 5.5}""", "rating", "between 0 and 5")]
    [InlineData("""{"slug": "ok-slug", "name": "x", "rating": 4.555}""", "rating", "2 decimal")]
    [InlineData("""{"slug": "ok-slug", "name": "x", "reviewCount": -1}""", "reviewCount", "0 or more")]
    [InlineData("""{"slug": "ok-slug", "name": "x", "verified": null}""", "verified", "must not be null")]
    [InlineData("""{"slug": "ok-slug", "name": "x", "createdAt": "2020-01-01T00:00:00Z"}""", "createdAt", "cannot be set")]
    [InlineData("""{"slug": "ok-slug", "name": "x", "stars": 5}""", "stars", "not a known field")]
    public async Task Given_a_bad_create_body_Then_400_naming_the_field(string body, string field, string problem)
    {
        var response = await app.CreateAdminClient().PostAsync("/admin/providers", JsonHttp.RequestBody(body));

        await PushTests.AssertFieldErrorAsync(response, field, problem);
        Assert.Equal(0L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM listings.providers"));
    }

    [Fact]
    public async Task Given_a_taken_slug_Then_409()
    {
        await app.CreateProviderAsync("acme");

        var response = await app.CreateAdminClient().PostAsync("/admin/providers", JsonHttp.RequestBody("""{"slug": "acme", "name": "Again"}"""));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.True((await JsonHttp.ReadBodyAsync(response)).GetProperty("errors").TryGetProperty("slug", out _));
    }

    [Fact]
    public async Task Given_protected_fields_from_the_operator_Then_they_are_updated()
    {
        await app.CreateProviderAsync("acme");

        var response = await app.CreateAdminClient().PatchAsync("/admin/providers/acme", JsonHttp.RequestBody(
            """{"verified": true, "fluxLabsPartner": true, "isDemo": true, "rating": 4.75, "reviewCount": 31, "totalNodes": 9}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await JsonHttp.ReadBodyAsync(response)).GetProperty("data");
        Assert.True(data.GetProperty("verified").GetBoolean());
        Assert.True(data.GetProperty("fluxLabsPartner").GetBoolean());
        Assert.True(data.GetProperty("isDemo").GetBoolean());
        Assert.Equal(4.75m, data.GetProperty("rating").GetDecimal());
        Assert.Equal(31, data.GetProperty("reviewCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("lastPushAt").ValueKind);
    }

    [Fact]
    public async Task Given_a_new_slug_from_the_operator_Then_the_listing_moves_and_its_keys_still_work()
    {
        var client = await app.ProviderClientAsync("old-name");

        var response = await app.CreateAdminClient().PatchAsync("/admin/providers/old-name", JsonHttp.RequestBody("""{"slug": "new-name"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync("/api/providers/old-name")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ListingsApp.PatchAsync(client, "new-name", """{"totalNodes": 1}""")).StatusCode);
    }

    [Fact]
    public async Task Given_a_slug_another_listing_has_Then_the_rename_is_409_and_nothing_changes()
    {
        await app.CreateProviderAsync("first");
        await app.CreateProviderAsync("second");

        var response = await app.CreateAdminClient().PatchAsync("/admin/providers/second", JsonHttp.RequestBody("""{"slug": "first", "totalNodes": 3}"""));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(0L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM listings.providers WHERE total_nodes IS NOT NULL"));
    }

    [Fact]
    public async Task Given_an_unknown_slug_Then_operator_routes_answer_404()
    {
        var admin = app.CreateAdminClient();

        Assert.Equal(HttpStatusCode.NotFound, (await admin.PatchAsync("/admin/providers/ghost", JsonHttp.RequestBody("""{"totalNodes": 1}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/admin/providers/ghost/keys", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/providers/ghost/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/admin/providers/ghost/pull/run", null)).StatusCode);
    }

    [Fact]
    public async Task Given_no_operator_key_Then_operator_routes_are_401()
    {
        var response = await app.CreateClient().PostAsync("/admin/providers", JsonHttp.RequestBody("""{"slug": "acme", "name": "Acme"}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("error", (await JsonHttp.ReadBodyAsync(response)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Given_changes_from_admin_and_push_Then_the_history_lists_them_newest_first_with_old_and_new_values()
    {
        await app.CreateProviderAsync("acme", "\"totalNodes\": 1");
        var client = app.Factory.CreateBearerClient(await app.IssueKeyAsync("acme"));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await ListingsApp.PatchAsync(client, "acme", """{"totalNodes": 2, "languages": ["en"]}""");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.CreateAdminClient().PatchAsync("/admin/providers/acme", JsonHttp.RequestBody("""{"verified": true}"""));

        var response = await app.CreateAdminClient().GetAsync("/admin/providers/acme/history");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var changes = (await JsonHttp.ReadBodyAsync(response)).GetProperty("data").GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(["verified", "languages", "totalNodes", "totalNodes", "name", "slug"], changes.Select(c => c.GetProperty("field").GetString()));
        Assert.Equal("admin", changes[0].GetProperty("source").GetString());
        Assert.False(changes[0].GetProperty("old").GetBoolean());
        Assert.True(changes[0].GetProperty("new").GetBoolean());
        var push = changes.Single(c => c.GetProperty("field").GetString() == "totalNodes" && c.GetProperty("source").GetString() == "push");
        Assert.Equal(1, push.GetProperty("old").GetInt32());
        Assert.Equal(2, push.GetProperty("new").GetInt32());
        Assert.Equal(app.Clock.GetUtcNow() - TimeSpan.FromMinutes(1), push.GetProperty("at").GetDateTimeOffset());
        var languages = changes.Single(c => c.GetProperty("field").GetString() == "languages");
        Assert.Equal(0, languages.GetProperty("old").GetArrayLength());
        Assert.Equal("en", languages.GetProperty("new")[0].GetString());
    }

    [Fact]
    public async Task Given_a_history_row_Then_the_database_refuses_to_change_or_delete_it()
    {
        await app.CreateProviderAsync("acme");
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();

        await using var update = new NpgsqlCommand("UPDATE listings.listing_changes SET source = 'push'", connection);
        await using var delete = new NpgsqlCommand("DELETE FROM listings.listing_changes", connection);

        Assert.Contains("append-only", (await Assert.ThrowsAsync<PostgresException>(() => update.ExecuteNonQueryAsync())).MessageText, StringComparison.Ordinal);
        Assert.Contains("append-only", (await Assert.ThrowsAsync<PostgresException>(() => delete.ExecuteNonQueryAsync())).MessageText, StringComparison.Ordinal);
        Assert.Equal(2L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM listings.listing_changes WHERE source = 'admin'"));
    }

    [Fact]
    public async Task Given_many_changes_Then_history_pages_with_a_total()
    {
        await app.CreateProviderAsync("acme");
        var admin = app.CreateAdminClient();
        for (var i = 1; i <= 5; i++)
        {
            await admin.PatchAsync("/admin/providers/acme", JsonHttp.RequestBody($$"""{"totalNodes": {{i}}}"""));
        }

        var page = (await JsonHttp.ReadBodyAsync(await admin.GetAsync("/admin/providers/acme/history?field=totalNodes&pageSize=2&page=1")))
            .GetProperty("data");

        Assert.Equal(5, page.GetProperty("total").GetInt64());
        Assert.Equal([5, 4], page.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("new").GetInt32()));
    }
}
