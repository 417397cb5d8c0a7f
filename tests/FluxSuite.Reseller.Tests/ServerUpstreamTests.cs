using System.Net;

namespace FluxSuite.Reseller.Tests;

/// <summary>Server operations and VPN profiles when the provider fails, and reset links that never reach the logs.</summary>
[Collection(UpstreamCollection.Name)]
public sealed class ServerUpstreamTests(UpstreamApp app) : IAsyncLifetime
{
    private TestReseller _reseller = null!;
    private Guid _mobile;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        app.Upstream.Reset();
        _reseller = await app.CreateResellerAsync();
        await app.TopUpAsync(_reseller.Id, 100_000);
        await app.SetDedicatedMobileStockAsync(nl: 2, uk: 0);
        _mobile = await app.BuyAsync(_reseller, new { product = "dedicated_mobile", duration = "7_days", location = "NL" });
        app.Clock.Advance(TimeSpan.FromSeconds(61));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("servers/{0}/rotate-ip")]
    [InlineData("servers/{0}/restart")]
    public async Task Given_the_provider_fails_a_server_operation_Then_502_and_nothing_is_recorded(string path)
    {
        app.Upstream.FailServers = true;

        var response = await _reseller.Live().PostAsync("/api/v1/" + string.Format(System.Globalization.CultureInfo.InvariantCulture, path, _mobile), null);

        await Api.ErrorAsync(response, HttpStatusCode.BadGateway, "UPSTREAM_ERROR");
        Assert.Equal(0, await app.Database.ScalarAsync<long>("SELECT count(*) FROM reseller.server_events"));
        Assert.Equal("online", (await Api.DataAsync(await _reseller.Live().GetAsync($"/api/v1/servers/{_mobile}/monitoring"))).GetProperty("status").GetString());
        Assert.Contains(app.Logs.Entries, e => e.Exception is not null && e.Message.Contains("UPSTREAM_ERROR", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_the_provider_fails_a_vpn_profile_Then_502()
    {
        app.Upstream.FailServers = true;

        await Api.ErrorAsync(await _reseller.Live().GetAsync($"/api/v1/proxies/{_mobile}/vpn-config?format=wireguard"), HttpStatusCode.BadGateway, "UPSTREAM_ERROR");
    }

    [Fact]
    public async Task Given_a_reset_link_is_handed_out_and_used_Then_its_signature_never_reaches_the_logs()
    {
        var link = await Api.DataAsync(await _reseller.Live().GetAsync($"/api/v1/proxies/{_mobile}/ip-reset-link"));
        var url = new Uri(link.GetProperty("url").GetString()!);
        var signature = System.Web.HttpUtility.ParseQueryString(url.Query)["signature"]!;

        var used = await app.CreateClient().GetAsync(url.PathAndQuery);
        var refused = await app.CreateClient().GetAsync(url.PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True(signature.Length >= 40);
        Assert.Contains(app.Logs.Entries, e => e.Message.Contains($"/proxies/{_mobile}/ip-reset", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Entries, e => e.AllText.Contains(signature, StringComparison.Ordinal));
    }
}
