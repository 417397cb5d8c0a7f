using System.Net;

namespace FluxSuite.Reseller.Tests;

/// <summary>Every endpoint of the API through the sandbox base path, on sandbox data only.</summary>
[Collection(ResellerCollection.Name)]
public sealed class SandboxFlowTests(ResellerApp app) : IAsyncLifetime
{
    private TestReseller _reseller = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        _reseller = await app.CreateResellerAsync();
        await app.TopUpAsync(_reseller.Id, 500_000, "test");
        await app.SetPoolAsync("ISP_NL_TEST", 6, country: "NL", mode: "test");
        await app.SetDedicatedMobileStockAsync(nl: 1, uk: 1, mode: "test");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_a_sandbox_key_Then_every_endpoint_works_on_test_data_and_live_stays_empty()
    {
        var sandbox = _reseller.Sandbox();
        const string Base = "/sandbox/api/v1";

        var pricing = await Api.DataAsync(await sandbox.GetAsync($"{Base}/balance/pricing"));
        var pools = await Api.DataAsync(await sandbox.GetAsync($"{Base}/proxies/pools?type=isp&country=NL"));
        var stock = await Api.DataAsync(await sandbox.GetAsync($"{Base}/proxies/stock"));
        var mobileStock = await Api.DataAsync(await sandbox.GetAsync($"{Base}/servers/stock/dedicated-mobile"));
        var trial = await Api.DataAsync(await sandbox.GetAsync($"{Base}/servers/stock/unlimited-residential-trial"));
        var isp = await Api.DataAsync(await sandbox.PostJsonAsync($"{Base}/plans", new { product = "dedicated_isp", quantity = 2, pool = "ISP_NL_TEST" }));
        var unlimited = await Api.DataAsync(await sandbox.PostJsonAsync($"{Base}/plans", new { product = "unlimited_residential", duration = "7_days", bandwidth_mbps = 200 }));
        var mobile = await Api.DataAsync(await sandbox.PostJsonAsync($"{Base}/plans", new { product = "dedicated_mobile", duration = "14_days", location = "UK" }));
        var ispId = isp.GetProperty("plan_id").GetGuid();
        var unlimitedId = unlimited.GetProperty("plan_id").GetGuid();
        var extended = await sandbox.PostJsonAsync($"{Base}/plans/{ispId}/extend", new { extend_30_days = true });
        var upgraded = await sandbox.PostJsonAsync($"{Base}/plans/{unlimitedId}/upgrade", new { bandwidth_mbps = 400 });
        var proxies = await Api.DataAsync(await sandbox.GetAsync($"{Base}/plans/{ispId}/proxies"));
        var plan = await Api.DataAsync(await sandbox.GetAsync($"{Base}/plans/{mobile.GetProperty("plan_id").GetGuid()}"));
        var list = await Api.DataAsync(await sandbox.GetAsync($"{Base}/plans?product=dedicated_isp"));
        var transactions = await Api.DataAsync(await sandbox.GetAsync($"{Base}/balance/transactions?type=all"));
        var balance = await Api.DataAsync(await sandbox.GetAsync($"{Base}/balance"));

        Assert.Equal(15, pricing.GetProperty("products").EnumerateObject().Count());
        Assert.Equal(1, pools.GetProperty("total").GetInt32());
        Assert.Equal(6, stock.GetProperty("total").GetProperty("stock").GetInt32());
        Assert.Equal(2, mobileStock.GetProperty("total_stock").GetInt32());
        Assert.True(trial.GetProperty("available").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, extended.StatusCode);
        Assert.Equal(HttpStatusCode.OK, upgraded.StatusCode);
        Assert.Equal(2, proxies.GetProperty("count").GetInt32());
        Assert.Equal("UK", plan.GetProperty("location").GetString());
        Assert.Equal("test", plan.GetProperty("billing").GetProperty("mode").GetString());
        Assert.Equal(1, list.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(6, transactions.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(await app.LedgerSumAsync(_reseller.Id, "test"), balance.GetProperty("balance_cents").GetInt64());
        Assert.Equal(4, await app.Database.ScalarAsync<int>("SELECT stock FROM reseller.pools WHERE mode = 'test'"));
        Assert.Equal(0, await app.BalanceAsync(_reseller.Id, "live"));
        Assert.Equal(0, await app.CountAsync("SELECT count(*) FROM reseller.ledger_entries WHERE reseller_id = @r AND mode = @m", _reseller.Id, "live"));
        Assert.Equal(0, await app.CountAsync("SELECT count(*) FROM reseller.plans WHERE reseller_id = @r AND mode = @m", _reseller.Id, "live"));
    }
}
