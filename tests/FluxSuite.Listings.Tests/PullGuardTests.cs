using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluxSuite.Testing;

namespace FluxSuite.Listings.Tests;

/// <summary>
/// The host as production runs it: pull may not reach private networks. Only ::1 is allowed, through
/// Listings:Pull:AllowedNetworks, so that a first hop to the test's server there can redirect to a
/// loopback address the guard must refuse (127.0.0.1, where a second server would answer).
/// </summary>
public sealed class GuardedListingsApp : ListingsApp
{
    protected override void Configure(FluxSuiteFactory factory)
    {
        base.Configure(factory);
        factory.WithSetting("Listings:Pull:AllowPrivateNetworks", "false")
            .WithSetting("Listings:Pull:AllowedNetworks:0", "::1/128");
    }
}

[CollectionDefinition(Name)]
public sealed class GuardedCollection : ICollectionFixture<GuardedListingsApp>
{
    public const string Name = "listings-guarded";
}

[Collection(GuardedCollection.Name)]
public sealed class PullGuardTests(GuardedListingsApp app) : IAsyncLifetime
{
    private PullServer _allowed = null!;
    private PullServer _private = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        _allowed = await PullServer.StartAsync("::1");
        _private = await PullServer.StartAsync("127.0.0.1");
        _private.Json("/listing.json", """{"totalNodes": 666}""");
        await app.CreateProviderAsync("acme", "\"totalNodes\": 5");
    }

    public async ValueTask DisposeAsync()
    {
        await _allowed.DisposeAsync();
        await _private.DisposeAsync();
    }

    [Fact]
    public async Task Given_an_address_in_the_allowed_networks_Then_pull_reaches_it()
    {
        _allowed.Json("/listing.json", """{"totalNodes": 9}""");
        await ConfigureAsync(_allowed.Url("/listing.json"));

        Assert.Equal("updated", (await RunAsync()).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Given_a_redirect_to_a_private_address_Then_the_guard_refuses_to_connect_and_nothing_is_fetched()
    {
        _allowed.Redirect("/listing.json", _private.Url("/listing.json"));
        await ConfigureAsync(_allowed.Url("/listing.json"));

        var result = await RunAsync();

        Assert.Equal("failed", result.GetProperty("outcome").GetString());
        Assert.Contains("127.0.0.1 is a loopback address", result.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(_private.Received);
        Assert.Equal(5, await app.Database.ScalarAsync<int>("SELECT total_nodes FROM listings.providers"));
    }

    [Fact]
    public async Task Given_a_host_name_that_resolves_to_loopback_Then_the_address_is_checked_when_connecting()
    {
        // The URL names a host, not an address, so it passes the settings check; the connect-time
        // check sees what localhost resolves to (127.0.0.1, where a server would answer).
        await ConfigureAsync($"http://localhost:{new Uri(_private.BaseAddress).Port}/listing.json");

        var result = await RunAsync();

        Assert.Equal("failed", result.GetProperty("outcome").GetString());
        Assert.Contains("refused to connect to localhost", result.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(_private.Received);
    }

    [Theory]
    [InlineData("http://127.0.0.2/listing.json", "a loopback address")]
    [InlineData("http://10.1.2.3/listing.json", "a private address")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "a cloud metadata address")]
    [InlineData("http://[fe80::1]/listing.json", "a link-local address")]
    [InlineData("http://[fd00:ec2::254]/", "a cloud metadata address")]
    public async Task Given_a_pull_url_with_a_refused_address_Then_the_settings_are_rejected(string url, string what)
    {
        var response = await app.CreateAdminClient().PutAsJsonAsync("/admin/providers/acme/pull", new { url, intervalMinutes = 60, enabled = false });

        await PushTests.AssertFieldErrorAsync(response, "url", what);
    }

    private async Task ConfigureAsync(string url)
    {
        var response = await app.CreateAdminClient().PutAsJsonAsync("/admin/providers/acme/pull", new { url, intervalMinutes = 60, enabled = false });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> RunAsync()
    {
        var response = await app.CreateAdminClient().PostAsync("/admin/providers/acme/pull/run", null);
        var body = await JsonHttp.ReadBodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body.GetProperty("data");
    }
}
