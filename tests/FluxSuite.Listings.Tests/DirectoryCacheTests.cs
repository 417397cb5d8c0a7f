using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FluxSuite.Testing;

namespace FluxSuite.Listings.Tests;

/// <summary>
/// The directory's conditional requests and kept pages: a page is answered 304 while nothing was written,
/// and any write to a listing (push, operator, pull, another instance, SQL by hand) makes every instance
/// answer the new page on the next request.
/// </summary>
[Collection(ListingsCollection.Name)]
public sealed class DirectoryCacheTests(ListingsApp app) : IAsyncLifetime
{
    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        await app.CreateProviderAsync("alpha", """ "name": "Alpha Nodes", "totalNodes": 120 """);
        await app.CreateProviderAsync("bravo", """ "name": "Bravo Hosting", "totalNodes": 300 """);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_the_ETag_of_a_page_and_no_write_since_Then_the_page_is_304_without_a_body()
    {
        var client = app.CreateClient();
        var first = await client.GetAsync("/api/providers?sort=name");
        var etag = first.Headers.ETag;

        var again = await GetAsync(client, "/api/providers?sort=name", etag);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(etag);
        Assert.True(etag.IsWeak);
        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(etag, again.Headers.ETag);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync(client, "/api/providers/alpha", (await client.GetAsync("/api/providers/alpha")).Headers.ETag)).StatusCode);
    }

    [Fact]
    public async Task Given_a_kept_page_Then_it_is_the_same_answer_as_a_fresh_one()
    {
        var client = app.CreateClient();
        var fresh = await client.GetStringAsync("/api/providers?sort=name&pageSize=5");
        var kept = await client.GetAsync("/api/providers?sort=name&pageSize=5");

        Assert.Equal(fresh, await kept.Content.ReadAsStringAsync());
        Assert.Equal("application/json; charset=utf-8", kept.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task Given_a_push_since_the_page_was_read_Then_the_old_ETag_gets_the_new_page()
    {
        var client = app.CreateClient();
        var before = await client.GetAsync("/api/providers?sort=name");
        var provider = app.Factory.CreateBearerClient(await app.IssueKeyAsync("alpha"));
        Assert.Equal(HttpStatusCode.OK, (await ListingsApp.PatchAsync(provider, "alpha", """{"totalNodes": 121}""")).StatusCode);

        var after = await GetAsync(client, "/api/providers?sort=name", before.Headers.ETag);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        Assert.Equal(121, TotalNodes(await JsonHttp.ReadBodyAsync(after), "alpha"));
    }

    [Fact]
    public async Task Given_an_operator_edit_Then_the_kept_page_is_not_answered_again()
    {
        var client = app.CreateClient();
        await client.GetStringAsync("/api/providers?sort=name");
        var edit = await app.CreateAdminClient().PatchAsync("/admin/providers/bravo", JsonHttp.RequestBody("""{"totalNodes": 301}"""));
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);

        Assert.Equal(301, TotalNodes(JsonDocument.Parse(await client.GetStringAsync("/api/providers?sort=name")).RootElement, "bravo"));
    }

    [Fact]
    public async Task Given_a_write_this_instance_never_saw_Then_its_next_answer_has_it()
    {
        // A write by another instance, or the pull job, or an operator with psql: the instance learns of it
        // only through the database, as every instance does.
        var client = app.CreateClient();
        var before = await client.GetAsync("/api/providers?sort=name");
        await app.Database.ScalarAsync<object>("UPDATE listings.providers SET total_nodes = 999 WHERE slug = 'alpha'");

        var after = await GetAsync(client, "/api/providers?sort=name", before.Headers.ETag);
        var single = await client.GetStringAsync("/api/providers/alpha");

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(999, TotalNodes(await JsonHttp.ReadBodyAsync(after), "alpha"));
        Assert.Equal(999, JsonDocument.Parse(single).RootElement.GetProperty("data").GetProperty("totalNodes").GetInt32());
    }

    [Fact]
    public async Task Given_statements_that_write_no_listing_Then_the_ETag_stays_and_one_that_writes_moves_it()
    {
        var client = app.CreateClient();
        var before = await client.GetAsync("/api/providers?sort=name");
        await app.Database.ScalarAsync<object>("UPDATE listings.providers SET total_nodes = 1 WHERE slug = 'nobody'");
        await app.Database.ScalarAsync<object>("DELETE FROM listings.providers WHERE slug = 'nobody'");
        await app.Database.ScalarAsync<object>("INSERT INTO listings.providers (id, slug, name) SELECT id, slug, name FROM listings.providers WHERE false");

        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync(client, "/api/providers?sort=name", before.Headers.ETag)).StatusCode);

        await app.Database.ScalarAsync<object>("UPDATE listings.providers SET total_nodes = total_nodes WHERE slug = 'bravo'");

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/providers?sort=name", before.Headers.ETag)).StatusCode);
    }

    [Fact]
    public async Task Given_a_bad_query_Then_it_is_refused_as_before_and_nothing_is_kept()
    {
        var client = app.CreateClient();

        var refused = await client.GetAsync("/api/providers?sort=nonsense");
        var again = await GetAsync(client, "/api/providers?sort=nonsense", refused.Headers.ETag);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Null(refused.Headers.ETag);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string path, EntityTagHeaderValue? etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (etag is not null)
        {
            request.Headers.IfNoneMatch.Add(etag);
        }

        return client.SendAsync(request);
    }

    private static int TotalNodes(JsonElement body, string slug) =>
        body.GetProperty("data").GetProperty("providers").EnumerateArray()
            .Single(p => p.GetProperty("slug").GetString() == slug).GetProperty("totalNodes").GetInt32();
}
