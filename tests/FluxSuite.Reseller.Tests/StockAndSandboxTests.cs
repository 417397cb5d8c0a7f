using System.Net;
using System.Net.Http.Json;
using FluxSuite.Testing;

namespace FluxSuite.Reseller.Tests;

[Collection(ResellerCollection.Name)]
public sealed class StockAndSandboxTests(ResellerApp app) : IAsyncLifetime
{
    private TestReseller _reseller = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        _reseller = await app.CreateResellerAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_pools_Then_GET_pools_lists_them_with_inStock_isSubnet_total_and_in_stock_count_and_filters()
    {
        await app.SetPoolAsync("ISP_US_SNEAKERS", 25);
        await app.SetPoolAsync("ISP_US_EMPTY", 0);
        await app.SetPoolAsync("SN_DE_BLOCK", 256, provider: "SN", country: "DE");

        var all = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/proxies/pools"));
        var isp = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/proxies/pools?type=isp&country=us"));
        var subnet = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/proxies/pools?type=subnet"));
        var none = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/proxies/pools?country=FR"));

        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal(2, all.GetProperty("in_stock_count").GetInt32());
        var sneakers = all.GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("pool").GetString() == "ISP_US_SNEAKERS");
        Assert.Equal(["inStock", "isSubnet", "pool", "provider", "stock", "title"],
            sneakers.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList());
        Assert.True(sneakers.GetProperty("inStock").GetBoolean());
        Assert.Equal(25, sneakers.GetProperty("stock").GetInt32());
        Assert.Equal("ISP", sneakers.GetProperty("provider").GetString());
        Assert.False(sneakers.GetProperty("isSubnet").GetBoolean());
        Assert.Equal(["ISP_US_EMPTY", "ISP_US_SNEAKERS"], isp.GetProperty("pools").EnumerateArray().Select(p => p.GetProperty("pool").GetString()).ToList());
        Assert.Equal(1, isp.GetProperty("in_stock_count").GetInt32());
        var block = Assert.Single(subnet.GetProperty("pools").EnumerateArray());
        Assert.True(block.GetProperty("isSubnet").GetBoolean());
        Assert.Equal("SN", block.GetProperty("provider").GetString());
        Assert.Equal(0, none.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Given_a_bad_pool_type_Then_400_naming_type()
    {
        await Api.ValidationErrorAsync(await _reseller.Live().GetAsync("/api/v1/proxies/pools?type=mobile"), "type");
    }

    [Fact]
    public async Task Given_dedicated_isp_disabled_Then_pools_and_stock_are_403_PRODUCT_DISABLED()
    {
        await app.CreateAdminClient().PutAsJsonAsync($"/admin/resellers/{_reseller.Id}/products/dedicated_isp", new { enabled = false });

        await Api.ErrorAsync(await _reseller.Live().GetAsync("/api/v1/proxies/pools"), HttpStatusCode.Forbidden, "PRODUCT_DISABLED");
        await Api.ErrorAsync(await _reseller.Live().GetAsync("/api/v1/proxies/stock"), HttpStatusCode.Forbidden, "PRODUCT_DISABLED");
    }

    [Fact]
    public async Task Given_pools_Then_GET_proxies_stock_sums_them_overall_per_type_and_per_country()
    {
        await app.SetPoolAsync("ISP_US_A", 10);
        await app.SetPoolAsync("ISP_US_B", 0);
        await app.SetPoolAsync("SN_DE_A", 256, provider: "SN", country: "DE");

        var stock = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/proxies/stock"));

        Assert.Equal(3, stock.GetProperty("total").GetProperty("pools").GetInt32());
        Assert.Equal(2, stock.GetProperty("total").GetProperty("in_stock_pools").GetInt32());
        Assert.Equal(266, stock.GetProperty("total").GetProperty("stock").GetInt32());
        Assert.Equal(10, stock.GetProperty("isp").GetProperty("stock").GetInt32());
        Assert.Equal(256, stock.GetProperty("subnet").GetProperty("stock").GetInt32());
        Assert.Equal(2, stock.GetProperty("countries").GetProperty("US").GetProperty("pools").GetInt32());
    }

    [Fact]
    public async Task Given_dedicated_mobile_stock_Then_the_stock_endpoint_shows_each_location_and_a_purchase_takes_one()
    {
        await app.TopUpAsync(_reseller.Id, 100_000);
        await app.SetDedicatedMobileStockAsync(nl: 3, uk: 0);

        var before = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/servers/stock/dedicated-mobile"));
        await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "dedicated_mobile", duration = "7_days", location = "NL" });
        var after = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/servers/stock/dedicated-mobile"));

        Assert.Equal(3, before.GetProperty("total_stock").GetInt32());
        var nl = after.GetProperty("locations").EnumerateArray().Single(l => l.GetProperty("location").GetString() == "NL");
        var uk = after.GetProperty("locations").EnumerateArray().Single(l => l.GetProperty("location").GetString() == "UK");
        Assert.Equal(2, nl.GetProperty("stock").GetInt32());
        Assert.True(nl.GetProperty("in_stock").GetBoolean());
        Assert.False(uk.GetProperty("in_stock").GetBoolean());
    }

    [Fact]
    public async Task Given_a_running_trial_Then_the_trial_endpoint_shows_one_server_fewer()
    {
        var before = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/servers/stock/unlimited-residential-trial"));
        await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "unlimited_residential", duration = "trial" });
        var after = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/servers/stock/unlimited-residential-trial"));

        Assert.True(before.GetProperty("available").GetBoolean());
        Assert.Equal(10, before.GetProperty("servers_available").GetInt32());
        Assert.Equal(9, after.GetProperty("servers_available").GetInt32());
        Assert.Equal(200, after.GetProperty("bandwidth_mbps").GetInt32());
    }

    [Theory]
    [InlineData("isp_lower", """{"title":"t","provider":"ISP","country":"US","stock":1}""", "pool")]
    [InlineData("ISP_X", """{"provider":"ISP","country":"US","stock":1}""", "title")]
    [InlineData("ISP_X", """{"title":"t","provider":"MOBILE","country":"US","stock":1}""", "provider")]
    [InlineData("ISP_X", """{"title":"t","provider":"ISP","country":"USA","stock":1}""", "country")]
    [InlineData("ISP_X", """{"title":"t","provider":"ISP","country":"US","stock":-1}""", "stock")]
    [InlineData("ISP_X", """{"title":"t","provider":"ISP","country":"US","stock":1,"isSubnet":true}""", "isSubnet")]
    [InlineData("ISP_X", """{"title":"t","provider":"ISP","country":"US","stock":1,"colour":"red"}""", "colour")]
    public async Task Given_a_bad_pool_Then_400_naming_the_field(string pool, string body, string field)
    {
        await Api.ValidationErrorAsync(await app.CreateAdminClient().PutAsync($"/admin/pools/{pool}", JsonHttp.RequestBody(body)), field);
    }

    [Fact]
    public async Task Given_a_pool_Then_PUT_creates_it_with_201_and_updates_it_with_200()
    {
        var admin = app.CreateAdminClient();
        var body = new Dictionary<string, object> { ["title"] = "US Sneakers ISP", ["provider"] = "ISP", ["country"] = "US", ["stock"] = 5, ["isSubnet"] = false };

        var created = await admin.PutAsJsonAsync("/admin/pools/ISP_US_SNEAKERS", body);
        body["stock"] = 7;
        var updated = await admin.PutAsJsonAsync("/admin/pools/ISP_US_SNEAKERS", body);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(7, (await Api.DataAsync(updated)).GetProperty("stock").GetInt32());
    }

    [Theory]
    [InlineData("""{"DE":1}""", "DE")]
    [InlineData("""{"NL":-1}""", "NL")]
    [InlineData("""{}""", "body")]
    [InlineData("""{"NL":"many"}""", "NL")]
    public async Task Given_bad_dedicated_mobile_stock_Then_400_naming_it(string body, string field)
    {
        await Api.ValidationErrorAsync(await app.CreateAdminClient().PutAsync("/admin/stock/dedicated-mobile", JsonHttp.RequestBody(body)), field);
    }

    [Fact]
    public async Task Given_sandbox_money_Then_it_is_a_separate_balance_and_ledger_from_live()
    {
        await app.TopUpAsync(_reseller.Id, 10_000, "live");
        await app.TopUpAsync(_reseller.Id, 2_000, "test");

        var bought = await _reseller.Sandbox().PostJsonAsync("/sandbox/api/v1/plans", new { product = "residential", bandwidth_gb = 5 });

        Assert.Equal(HttpStatusCode.Created, bought.StatusCode);
        var plan = await Api.DataAsync(bought);
        Assert.Equal("test", plan.GetProperty("billing").GetProperty("mode").GetString());
        Assert.Equal($"/sandbox/api/v1/plans/{plan.GetProperty("plan_id").GetGuid()}", bought.Headers.Location?.OriginalString);
        Assert.Equal(500, (await Api.DataAsync(await _reseller.Sandbox().GetAsync("/sandbox/api/v1/balance"))).GetProperty("balance_cents").GetInt64());
        Assert.Equal(10_000, (await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/balance"))).GetProperty("balance_cents").GetInt64());
        var liveTransactions = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/balance/transactions"));
        Assert.Equal(1, liveTransactions.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(0, (await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/plans"))).GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(1, (await Api.DataAsync(await _reseller.Sandbox().GetAsync("/sandbox/api/v1/plans"))).GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(await app.BalanceAsync(_reseller.Id, "test"), await app.LedgerSumAsync(_reseller.Id, "test"));
    }

    [Fact]
    public async Task Given_sandbox_stock_Then_it_is_separate_from_live_stock()
    {
        await app.TopUpAsync(_reseller.Id, 10_000, "test");
        await app.SetPoolAsync("ISP_US_SNEAKERS", 5, mode: "live");
        await app.SetPoolAsync("ISP_US_SNEAKERS", 2, mode: "test");
        await app.SetDedicatedMobileStockAsync(nl: 0, uk: 4, mode: "live");

        var isp = await _reseller.Sandbox().PostJsonAsync("/sandbox/api/v1/plans", new { product = "dedicated_isp", quantity = 2, pool = "ISP_US_SNEAKERS" });
        var mobile = await _reseller.Sandbox().PostJsonAsync("/sandbox/api/v1/plans", new { product = "dedicated_mobile", duration = "7_days", location = "UK" });
        var sandboxPools = await Api.DataAsync(await _reseller.Sandbox().GetAsync("/sandbox/api/v1/proxies/pools"));
        var livePools = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/proxies/pools"));

        Assert.Equal(HttpStatusCode.Created, isp.StatusCode);
        await Api.ErrorAsync(mobile, HttpStatusCode.Conflict, "OUT_OF_STOCK");
        Assert.Equal(0, sandboxPools.GetProperty("pools")[0].GetProperty("stock").GetInt32());
        Assert.Equal(5, livePools.GetProperty("pools")[0].GetProperty("stock").GetInt32());
    }

    [Fact]
    public async Task Given_a_pool_only_in_live_Then_the_sandbox_calls_it_INVALID_POOL()
    {
        await app.TopUpAsync(_reseller.Id, 10_000, "test");
        await app.SetPoolAsync("ISP_LIVE_ONLY", 5, mode: "live");

        var response = await _reseller.Sandbox().PostJsonAsync("/sandbox/api/v1/plans", new { product = "dedicated_isp", quantity = 1, pool = "ISP_LIVE_ONLY" });

        await Api.ErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_POOL");
    }
}
