using System.Net;
using System.Net.Http.Json;

namespace FluxSuite.Reseller.Tests;

[Collection(ResellerCollection.Name)]
public sealed class ConcurrencyTests(ResellerApp app) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await app.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_50_concurrent_purchases_and_a_balance_for_exactly_10_Then_exactly_10_plans_balance_0_and_the_ledger_sums_to_it()
    {
        var reseller = await app.CreateResellerAsync();
        await app.TopUpAsync(reseller.Id, 10 * 300);
        // Five keys of the same reseller, ten requests each: within each key's limit of 20 in flight.
        var clients = await KeysAsync(reseller, 5);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            clients[i % clients.Count].PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 1 })));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(40, responses.Count(r => r.StatusCode == HttpStatusCode.PaymentRequired));
        Assert.Equal(10, await app.CountAsync("SELECT count(*) FROM reseller.plans WHERE reseller_id = @r AND mode = @m", reseller.Id));
        Assert.Equal(0, await app.BalanceAsync(reseller.Id));
        Assert.Equal(0, await app.LedgerSumAsync(reseller.Id));
        var balance = await Api.DataAsync(await clients[0].GetAsync("/api/v1/balance"));
        Assert.Equal(0, balance.GetProperty("balance_cents").GetInt64());
        Assert.Equal(3000, balance.GetProperty("total_spent_cents").GetInt64());
    }

    [Fact]
    public async Task Given_concurrent_dedicated_isp_purchases_from_several_resellers_Then_stock_never_goes_below_zero()
    {
        await app.SetPoolAsync("ISP_US_SNEAKERS", 10);
        var clients = new List<HttpClient>();
        for (var i = 0; i < 4; i++)
        {
            var reseller = await app.CreateResellerAsync($"Reseller {i}");
            await app.TopUpAsync(reseller.Id, 100_000);
            clients.Add(reseller.Live());
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            clients[i % clients.Count].PostJsonAsync("/api/v1/plans", new { product = "dedicated_isp", quantity = 3, pool = "ISP_US_SNEAKERS" })));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await Api.ErrorAsync(refused, HttpStatusCode.Conflict, "POOL_OUT_OF_STOCK");
        }

        Assert.Equal(1, await app.Database.ScalarAsync<int>("SELECT stock FROM reseller.pools WHERE name = 'ISP_US_SNEAKERS' AND mode = 'live'"));
        Assert.Equal(9, await app.Database.ScalarAsync<long>("SELECT coalesce(sum(quantity), 0)::bigint FROM reseller.plans"));
        Assert.Equal(3, await app.Database.ScalarAsync<long>("SELECT count(*) FROM reseller.ledger_entries WHERE type = 'purchase'"));
    }

    [Fact]
    public async Task Given_concurrent_extensions_of_one_plan_Then_each_is_applied_and_charged_exactly_once()
    {
        var reseller = await app.CreateResellerAsync();
        await app.TopUpAsync(reseller.Id, 100_000);
        var clients = await KeysAsync(reseller, 2);
        var plan = (await Api.DataAsync(await clients[0].PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 1 })))
            .GetProperty("plan_id").GetGuid();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            clients[i % 2].PostJsonAsync($"/api/v1/plans/{plan}/extend", new { add_bandwidth_gb = 1 })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var after = await Api.DataAsync(await clients[0].GetAsync($"/api/v1/plans/{plan}"));
        Assert.Equal(11_000_000_000, after.GetProperty("limits").GetProperty("max_bytes").GetInt64());
        Assert.Equal(11 * 300, after.GetProperty("billing").GetProperty("cost_cents").GetInt64());
        Assert.Equal(100_000 - (11 * 300), await app.BalanceAsync(reseller.Id));
        Assert.Equal(await app.BalanceAsync(reseller.Id), await app.LedgerSumAsync(reseller.Id));
    }

    private async Task<List<HttpClient>> KeysAsync(TestReseller reseller, int count)
    {
        var clients = new List<HttpClient> { reseller.Live() };
        var admin = app.CreateAdminClient();
        while (clients.Count < count)
        {
            var key = await Api.DataAsync(await admin.PostAsJsonAsync($"/admin/resellers/{reseller.Id}/keys", new { mode = "live" }));
            clients.Add(app.Factory.CreateBearerClient(key.GetProperty("key").GetString()!));
        }

        return clients;
    }
}
