using System.Net;
using System.Net.Http.Headers;
using FluxSuite.BuildingBlocks.Security;
using FluxSuite.Testing;

namespace FluxSuite.Listings.Tests;

/// <summary>Provider keys: 401 and 403, generated and imported keys, rotation, revocation and last use.</summary>
[Collection(ListingsCollection.Name)]
public sealed class ProviderKeyTests(ListingsApp app) : IAsyncLifetime
{
    private const string Body = """{"totalNodes": 12}""";

    public async ValueTask InitializeAsync() => await app.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_no_Authorization_header_Then_401_with_a_Bearer_challenge()
    {
        await app.CreateProviderAsync("acme");

        var response = await ListingsApp.PatchAsync(app.CreateClient(), "acme", Body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("error", (await JsonHttp.ReadBodyAsync(response)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("Bearer flxp_thisKeyWasNeverIssuedToAnybodyAtAll0000000")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    [InlineData("flxp_missingTheBearerWord")]
    public async Task Given_an_unknown_or_malformed_key_Then_401(string authorization)
    {
        await app.CreateProviderAsync("acme");
        var client = app.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);

        var response = await ListingsApp.PatchAsync(client, "acme", Body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Given_a_valid_key_of_another_provider_Then_403_and_the_listing_is_untouched()
    {
        await app.CreateProviderAsync("victim");
        var intruder = await app.ProviderClientAsync("intruder");

        var response = await ListingsApp.PatchAsync(intruder, "victim", Body);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM listings.providers WHERE total_nodes IS NOT NULL"));
    }

    [Fact]
    public async Task Given_no_key_and_a_malformed_body_Then_401_comes_before_the_body_is_read()
    {
        await app.CreateProviderAsync("acme");

        var response = await ListingsApp.PatchAsync(app.CreateClient(), "acme", "{not json");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Given_a_generated_key_Then_it_has_the_prefix_and_only_its_hash_is_stored()
    {
        await app.CreateProviderAsync("acme");

        var response = await app.CreateAdminClient().PostAsync("/admin/providers/acme/keys", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var data = (await JsonHttp.ReadBodyAsync(response)).GetProperty("data");
        var key = data.GetProperty("key").GetString()!;
        Assert.StartsWith("flxp_", key, StringComparison.Ordinal);
        Assert.True(key.Length >= 40);
        Assert.True(data.TryGetProperty("id", out _));
        Assert.True(data.TryGetProperty("createdAt", out _));
        Assert.Equal(KeyHash.Sha256Hex(key), (await app.Database.ScalarAsync<string>("SELECT key_hash FROM listings.provider_keys"))!.Trim());
        Assert.Equal(0L, await app.Database.ScalarAsync<long>(
            "SELECT count(*) FROM listings.provider_keys k WHERE position(@key in k::text) > 0", ("key", key)));
        var listed = await app.CreateAdminClient().GetStringAsync("/admin/providers/acme/keys");
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_imported_key_of_31_characters_Then_400_and_of_32_Then_201_and_it_works()
    {
        await app.CreateProviderAsync("acme");
        var admin = app.CreateAdminClient();
        var key = "0123456789abcdef0123456789abcdef";

        var tooShort = await admin.PostAsync("/admin/providers/acme/keys/import", JsonHttp.RequestBody($$"""{"key":"{{key[..31]}}"}"""));
        var accepted = await admin.PostAsync("/admin/providers/acme/keys/import", JsonHttp.RequestBody($$"""{"key":"{{key}}"}"""));

        await PushTests.AssertFieldErrorAsync(tooShort, "key", "at least 32");
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var data = (await JsonHttp.ReadBodyAsync(accepted)).GetProperty("data");
        Assert.False(data.TryGetProperty("key", out _));
        Assert.Equal(KeyHash.Sha256Hex(key), (await app.Database.ScalarAsync<string>("SELECT key_hash FROM listings.provider_keys"))!.Trim());
        Assert.Equal(0L, await app.Database.ScalarAsync<long>(
            "SELECT count(*) FROM listings.provider_keys k WHERE position(@key in k::text) > 0", ("key", key)));
        Assert.Equal(HttpStatusCode.OK, (await ListingsApp.PatchAsync(app.Factory.CreateBearerClient(key), "acme", Body)).StatusCode);
    }

    [Theory]
    [InlineData("f47ac10b-58cc-4372-a567-0e02b2c3d479")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("q8Zt3mL0v+Yd/9wQe1R7s2X5u4K6n8P0a3B1c5D7e9g=")]
    public async Task Given_a_key_in_a_format_from_the_reference_Then_it_imports_and_authenticates(string key)
    {
        await app.CreateProviderAsync("acme");

        var imported = await app.CreateAdminClient().PostAsync("/admin/providers/acme/keys/import", JsonHttp.RequestBody($$"""{"key":"{{key}}"}"""));

        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ListingsApp.PatchAsync(app.Factory.CreateBearerClient(key), "acme", Body)).StatusCode);
    }

    [Theory]
    [InlineData("""{"key": "has spaces in it but is long enough to pass"}""", "key", "printable ASCII")]
    [InlineData("""{}""", "key", "required")]
    [InlineData("""{"key": "0123456789abcdef0123456789abcdef", "owner": "x"}""", "owner", "not a known field")]
    [InlineData("""{"key": 12345678901234567890123456789012345}""", "key", "string")]
    public async Task Given_a_bad_import_body_Then_400_naming_the_field(string body, string field, string problem)
    {
        await app.CreateProviderAsync("acme");

        var response = await app.CreateAdminClient().PostAsync("/admin/providers/acme/keys/import", JsonHttp.RequestBody(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await JsonHttp.ReadBodyAsync(response);
        Assert.Contains(field, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(problem, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_key_already_registered_Then_import_is_409()
    {
        await app.CreateProviderAsync("acme");
        await app.CreateProviderAsync("other");
        const string key = "shared-key-0123456789abcdef0123456789";
        await app.CreateAdminClient().PostAsync("/admin/providers/acme/keys/import", JsonHttp.RequestBody($$"""{"key":"{{key}}"}"""));

        var response = await app.CreateAdminClient().PostAsync("/admin/providers/other/keys/import", JsonHttp.RequestBody($$"""{"key":"{{key}}"}"""));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Given_two_active_keys_Then_both_work_and_revoking_the_old_one_stops_it_on_the_next_request()
    {
        await app.CreateProviderAsync("acme");
        var oldKey = await app.IssueKeyAsync("acme");
        var newKey = await app.IssueKeyAsync("acme");
        var oldClient = app.Factory.CreateBearerClient(oldKey);
        var newClient = app.Factory.CreateBearerClient(newKey);
        Assert.Equal(HttpStatusCode.OK, (await ListingsApp.PatchAsync(oldClient, "acme", Body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ListingsApp.PatchAsync(newClient, "acme", Body)).StatusCode);
        var oldId = await app.Database.ScalarAsync<Guid>("SELECT id FROM listings.provider_keys WHERE key_hash = @h", ("h", KeyHash.Sha256Hex(oldKey)));

        var revoked = await app.CreateAdminClient().DeleteAsync($"/admin/providers/acme/keys/{oldId}");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ListingsApp.PatchAsync(oldClient, "acme", Body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await oldClient.GetAsync("/api/providers/acme/sync")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ListingsApp.PatchAsync(newClient, "acme", Body)).StatusCode);
    }

    [Fact]
    public async Task Given_a_key_of_another_provider_or_unknown_Then_revoking_it_is_404()
    {
        await app.CreateProviderAsync("acme");
        await app.CreateProviderAsync("other");
        var otherKey = await app.IssueKeyAsync("other");
        var otherId = await app.Database.ScalarAsync<Guid>("SELECT id FROM listings.provider_keys WHERE key_hash = @h", ("h", KeyHash.Sha256Hex(otherKey)));

        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateAdminClient().DeleteAsync($"/admin/providers/acme/keys/{otherId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateAdminClient().DeleteAsync($"/admin/providers/acme/keys/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ListingsApp.PatchAsync(app.Factory.CreateBearerClient(otherKey), "other", Body)).StatusCode);
    }

    [Fact]
    public async Task Given_a_request_with_a_key_Then_its_last_use_is_recorded_shortly_after()
    {
        var client = await app.ProviderClientAsync("acme");
        app.Clock.Advance(TimeSpan.FromHours(1));
        var usedAt = app.Clock.GetUtcNow();

        Assert.Equal(HttpStatusCode.OK, (await ListingsApp.PatchAsync(client, "acme", Body)).StatusCode);

        Assert.True(await Eventually.WaitUntilAsync(
            async () => await app.Database.ScalarAsync<bool>("SELECT last_used_at IS NOT NULL FROM listings.provider_keys"),
            TimeSpan.FromSeconds(10)));
        Assert.Equal(usedAt.UtcDateTime, await app.Database.ScalarAsync<DateTime>("SELECT last_used_at FROM listings.provider_keys"));
        var keys = (await JsonHttp.ReadBodyAsync(await app.CreateAdminClient().GetAsync("/admin/providers/acme/keys"))).GetProperty("data");
        Assert.Equal(usedAt, Assert.Single(keys.EnumerateArray()).GetProperty("lastUsedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Given_the_admin_key_instead_of_a_provider_key_Then_401()
    {
        await app.CreateProviderAsync("acme");
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", FluxSuiteFactory.AdminKey);

        Assert.Equal(HttpStatusCode.Unauthorized, (await ListingsApp.PatchAsync(client, "acme", Body)).StatusCode);
    }
}
