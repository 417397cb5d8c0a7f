using System.Net;
using FluxSuite.Testing;

namespace FluxSuite.Reseller.Tests;

[Collection(UpstreamCollection.Name)]
public sealed class UpstreamTests(UpstreamApp app) : IAsyncLifetime
{
    private TestReseller _reseller = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        app.Upstream.Reset();
        _reseller = await app.CreateResellerAsync();
        await app.TopUpAsync(_reseller.Id, 100_000, "live");
        await app.TopUpAsync(_reseller.Id, 100_000, "test");
        await app.SetPoolAsync("ISP_US_SNEAKERS", 10, mode: "live");
        await app.SetPoolAsync("ISP_US_SNEAKERS", 10, mode: "test");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_the_upstream_fails_Then_502_and_nothing_is_charged_stored_or_taken_from_stock()
    {
        app.Upstream.FailProvisioning = true;

        var response = await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "dedicated_isp", quantity = 3, pool = "ISP_US_SNEAKERS" });

        await Api.ErrorAsync(response, HttpStatusCode.BadGateway, "UPSTREAM_ERROR");
        Assert.Equal(100_000, await app.BalanceAsync(_reseller.Id));
        Assert.Equal(100_000, await app.LedgerSumAsync(_reseller.Id));
        Assert.Equal(0, await app.CountAsync("SELECT count(*) FROM reseller.plans WHERE reseller_id = @r AND mode = @m", _reseller.Id));
        Assert.Equal(10, await app.Database.ScalarAsync<int>("SELECT stock FROM reseller.pools WHERE mode = 'live'"));
    }

    [Fact]
    public async Task Given_sandbox_purchases_Then_they_never_reach_the_live_upstream()
    {
        app.Upstream.FailProvisioning = true;

        var sandbox = await _reseller.Sandbox().PostJsonAsync("/sandbox/api/v1/plans", new { product = "dedicated_isp", quantity = 2, pool = "ISP_US_SNEAKERS" });
        var sandboxPlan = (await Api.DataAsync(sandbox)).GetProperty("plan_id").GetGuid();
        var proxies = await Api.DataAsync(await _reseller.Sandbox().GetAsync($"/sandbox/api/v1/plans/{sandboxPlan}/proxies"));
        var live = await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 1 });

        Assert.Equal(HttpStatusCode.Created, sandbox.StatusCode);
        Assert.Equal(2, proxies.GetProperty("count").GetInt32());
        Assert.Equal(HttpStatusCode.BadGateway, live.StatusCode);
        Assert.Equal(1, app.Upstream.ProvisionCalls);
        Assert.Equal(0, app.Upstream.ProxyCalls);
    }

    [Fact]
    public async Task Given_the_provider_is_down_Then_proxies_answers_the_cached_list_marked_cached()
    {
        var plan = (await Api.DataAsync(await _reseller.Live().PostJsonAsync("/api/v1/plans",
            new { product = "dedicated_isp", quantity = 2, pool = "ISP_US_SNEAKERS" }))).GetProperty("plan_id").GetGuid();
        var fresh = await Api.DataAsync(await _reseller.Live().GetAsync($"/api/v1/plans/{plan}/proxies"));
        app.Upstream.FailProxies = true;

        var cached = await Api.DataAsync(await _reseller.Live().GetAsync($"/api/v1/plans/{plan}/proxies"));

        Assert.Equal("provider", fresh.GetProperty("source").GetString());
        Assert.Equal("cached", cached.GetProperty("source").GetString());
        Assert.Equal(fresh.GetProperty("proxies").GetRawText(), cached.GetProperty("proxies").GetRawText());
    }

    [Fact]
    public async Task Given_the_upstream_fails_to_apply_an_extension_Then_502_and_the_plan_and_balance_are_unchanged()
    {
        var plan = (await Api.DataAsync(await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 1 })))
            .GetProperty("plan_id").GetGuid();
        app.Upstream.FailChanges = true;

        var response = await _reseller.Live().PostJsonAsync($"/api/v1/plans/{plan}/extend", new { add_bandwidth_gb = 1 });

        await Api.ErrorAsync(response, HttpStatusCode.BadGateway, "UPSTREAM_ERROR");
        Assert.Equal(100_000 - 300, await app.BalanceAsync(_reseller.Id));
        var after = await Api.DataAsync(await _reseller.Live().GetAsync($"/api/v1/plans/{plan}"));
        Assert.Equal(1_000_000_000, after.GetProperty("limits").GetProperty("max_bytes").GetInt64());
    }

    [Fact]
    public async Task Given_keys_used_rejected_and_created_Then_no_log_line_contains_a_key()
    {
        var admin = app.CreateAdminClient();
        var extra = (await Api.DataAsync(await admin.PostAsync($"/admin/resellers/{_reseller.Id}/keys", JsonHttp.RequestBody("""{"mode":"test"}""")))).GetProperty("key").GetString()!;
        await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 1 });
        await _reseller.Live().GetAsync("/sandbox/api/v1/balance");
        await app.Factory.CreateBearerClient(extra).GetAsync("/api/v1/balance");
        await app.Factory.CreateBearerClient(_reseller.LiveKey + "x").GetAsync("/api/v1/balance");

        Assert.NotEmpty(app.Logs.Entries);
        foreach (var secret in new[] { _reseller.LiveKey, _reseller.TestKey, extra, _reseller.LiveKey[8..] })
        {
            Assert.DoesNotContain(app.Logs.Entries, e => e.AllText.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Given_a_purchase_that_loses_the_race_for_the_balance_after_provisioning_Then_402_and_the_upstream_releases_it()
    {
        var poor = await app.CreateResellerAsync("Poor");
        await app.TopUpAsync(poor.Id, 300);
        app.Upstream.ProvisionGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var body = new { product = "residential", bandwidth_gb = 1 };
        var first = poor.Live().PostJsonAsync("/api/v1/plans", body);
        var second = poor.Live().PostJsonAsync("/api/v1/plans", body);
        Assert.True(await Testing.Eventually.WaitUntilAsync(() => Task.FromResult(app.Upstream.ProvisionCalls == 2), TimeSpan.FromSeconds(10)));

        app.Upstream.ProvisionGate.SetResult();
        var responses = await Task.WhenAll(first, second);

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        await Api.ErrorAsync(Assert.Single(responses, r => r.StatusCode != HttpStatusCode.Created), HttpStatusCode.PaymentRequired, "INSUFFICIENT_BALANCE");
        Assert.Equal(1, app.Upstream.Releases);
        Assert.Equal(0, await app.BalanceAsync(poor.Id));
        Assert.Equal(1, await app.CountAsync("SELECT count(*) FROM reseller.plans WHERE reseller_id = @r AND mode = @m", poor.Id));
    }

    [Fact]
    public async Task Given_a_balance_that_cannot_cover_the_purchase_Then_402_without_asking_the_upstream()
    {
        var poor = await app.CreateResellerAsync("Poor");

        var response = await poor.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 1 });

        await Api.ErrorAsync(response, HttpStatusCode.PaymentRequired, "INSUFFICIENT_BALANCE");
        Assert.Equal(0, app.Upstream.ProvisionCalls);
    }
}
