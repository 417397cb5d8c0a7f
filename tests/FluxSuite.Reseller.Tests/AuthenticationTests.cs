using System.Net;
using System.Net.Http.Json;
using FluxSuite.Testing;

namespace FluxSuite.Reseller.Tests;

[Collection(ResellerCollection.Name)]
public sealed class AuthenticationTests(ResellerApp app) : IAsyncLifetime
{
    private TestReseller _reseller = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        _reseller = await app.CreateResellerAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_the_keys_of_a_new_reseller_Then_they_have_the_references_shape_and_are_stored_only_as_SHA256()
    {
        Assert.Matches("^fp_live_[0-9A-Za-z]{32}$", _reseller.LiveKey);
        Assert.Matches("^fp_test_[0-9A-Za-z]{32}$", _reseller.TestKey);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(_reseller.LiveKey)));
        Assert.Equal(1, await app.Database.ScalarAsync<long>("SELECT count(*) FROM reseller.reseller_keys WHERE key_hash = @h", ("h", hash)));
        Assert.Equal(0, await app.Database.ScalarAsync<long>(
            "SELECT count(*) FROM reseller.reseller_keys WHERE key_hash = @k OR key_prefix = @k", ("k", _reseller.LiveKey)));
    }

    [Fact]
    public async Task Given_a_key_used_twice_within_a_minute_and_again_later_Then_the_operator_key_list_shows_its_last_use_to_the_minute()
    {
        var keysPath = $"/admin/resellers/{_reseller.Id}/keys";
        var unused = await Api.DataAsync(await app.CreateAdminClient().GetAsync(keysPath));
        Assert.All(unused.GetProperty("keys").EnumerateArray(), k => Assert.Equal(System.Text.Json.JsonValueKind.Null, k.GetProperty("last_used_at").ValueKind));

        var first = app.Clock.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await _reseller.Live().GetAsync("/api/v1/balance")).StatusCode);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await _reseller.Live().GetAsync("/api/v1/balance")).StatusCode);
        Assert.Equal(first, LastUsed(await Api.DataAsync(await app.CreateAdminClient().GetAsync(keysPath)), "live"));

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var later = app.Clock.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await _reseller.Live().GetAsync("/api/v1/balance")).StatusCode);
        var listed = await Api.DataAsync(await app.CreateAdminClient().GetAsync(keysPath));
        Assert.Equal(later, LastUsed(listed, "live"));
        Assert.Null(LastUsed(listed, "test"));
        Assert.DoesNotContain(_reseller.LiveKey, listed.GetRawText(), StringComparison.Ordinal);

        static DateTimeOffset? LastUsed(System.Text.Json.JsonElement data, string mode)
        {
            var key = data.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("mode").GetString() == mode);
            return key.GetProperty("last_used_at").ValueKind == System.Text.Json.JsonValueKind.Null ? null : key.GetProperty("last_used_at").GetDateTimeOffset();
        }
    }

    [Fact]
    public async Task Given_a_live_key_on_the_live_API_and_a_test_key_on_the_sandbox_Then_200()
    {
        Assert.Equal(HttpStatusCode.OK, (await _reseller.Live().GetAsync("/api/v1/balance")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _reseller.Sandbox().GetAsync("/sandbox/api/v1/balance")).StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/balance", "test")]
    [InlineData("/sandbox/api/v1/balance", "live")]
    public async Task Given_a_key_of_the_other_mode_Then_401_UNAUTHORIZED(string path, string keyMode)
    {
        var response = await _reseller.Client(keyMode).GetAsync(path);

        await Api.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer fp_live_notakeythatexistsanywhere000000")]
    [InlineData("Bearer something-else")]
    public async Task Given_no_or_an_invalid_key_Then_401_UNAUTHORIZED(string? authorization)
    {
        var client = app.CreateClient();
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await client.GetAsync("/api/v1/plans");

        await Api.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Given_an_unauthenticated_POST_with_a_broken_body_Then_401_before_the_body_is_read()
    {
        var response = await app.CreateClient().PostAsync("/api/v1/plans", JsonHttp.RequestBody("{not json"));

        await Api.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Given_a_suspended_reseller_Then_403_FORBIDDEN_on_live_and_sandbox_until_reactivated()
    {
        var admin = app.CreateAdminClient();
        var suspend = await admin.PutAsJsonAsync($"/admin/resellers/{_reseller.Id}/status", new { status = "suspended" });
        Assert.Equal("suspended", (await Api.DataAsync(suspend)).GetProperty("status").GetString());

        var live = await _reseller.Live().GetAsync("/api/v1/balance");
        var sandbox = await _reseller.Sandbox().PostJsonAsync("/sandbox/api/v1/plans", new { product = "residential", bandwidth_gb = 1 });
        await admin.PutAsJsonAsync($"/admin/resellers/{_reseller.Id}/status", new { status = "active" });
        var again = await _reseller.Live().GetAsync("/api/v1/balance");

        await Api.ErrorAsync(live, HttpStatusCode.Forbidden, "FORBIDDEN");
        await Api.ErrorAsync(sandbox, HttpStatusCode.Forbidden, "FORBIDDEN");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Given_a_new_key_and_a_revoked_key_Then_the_new_one_works_and_the_revoked_one_is_401()
    {
        var admin = app.CreateAdminClient();
        var created = await Api.DataAsync(await admin.PostAsJsonAsync($"/admin/resellers/{_reseller.Id}/keys", new { mode = "live" }));
        var key = created.GetProperty("key").GetString()!;
        Assert.StartsWith("fp_live_", key, StringComparison.Ordinal);
        Assert.Equal("live", created.GetProperty("mode").GetString());
        var client = app.Factory.CreateBearerClient(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/balance")).StatusCode);

        var revoke = await admin.DeleteAsync($"/admin/resellers/{_reseller.Id}/keys/{created.GetProperty("id").GetGuid()}");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        await Api.ErrorAsync(await client.GetAsync("/api/v1/balance"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal(HttpStatusCode.OK, (await _reseller.Live().GetAsync("/api/v1/balance")).StatusCode);
    }

    [Fact]
    public async Task Given_an_operator_route_without_the_operator_key_Then_401_in_the_reseller_envelope()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/admin/resellers", new { name = "x", email = "x@example.com" });

        await Api.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Given_a_reseller_key_on_an_operator_route_Then_401()
    {
        var response = await _reseller.Live().PostAsJsonAsync($"/admin/resellers/{_reseller.Id}/topups", new { amount_cents = 100, mode = "live" });

        await Api.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }
}
