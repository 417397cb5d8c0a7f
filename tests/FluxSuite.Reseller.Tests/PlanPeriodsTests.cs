using System.Net;
using FluxSuite.Reseller.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Reseller.Tests;

/// <summary>
/// <c>plan_periods</c>, the narrow copy of the plans that the usage summary counts: equal to the plans after purchases,
/// extensions, the expiry job, a cancellation and usage reports, and the summary's plan counts follow it.
/// </summary>
[Collection(ResellerCollection.Name)]
public sealed class PlanPeriodsTests(ResellerApp app) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await app.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_plans_bought_extended_expired_cancelled_and_reported_on_Then_plan_periods_equal_the_plans_and_the_summary_counts_them()
    {
        var reseller = await app.CreateFundedResellerAsync(10_000_000);
        var bandwidth = await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 10 });
        var shortLived = await app.BuyAsync(reseller, new { product = "unlimited_residential", duration = "1_day", bandwidth_mbps = 200 });
        var extended = await app.BuyAsync(reseller, new { product = "unlimited_residential", duration = "1_day", bandwidth_mbps = 200 });
        var cancelled = await app.BuyAsync(reseller, new { product = "mobile", bandwidth_gb = 5 });
        var sandbox = await app.BuyAsync(reseller, new { product = "pool1", bandwidth_gb = 5 }, "test");

        var extend = await reseller.Live().PostJsonAsync($"/api/v1/plans/{extended}/extend", new { add_days = 7 });
        Assert.Equal(HttpStatusCode.OK, extend.StatusCode);
        await app.Database.ScalarAsync<int>("UPDATE reseller.plans SET status = 'cancelled' WHERE id = @p RETURNING 1", ("p", cancelled));
        await app.ReportAcceptedAsync(app.Record(bandwidth, 2 * Gb, "a"), app.Record(sandbox, 1 * Gb, "b"), app.Record(extended, 3 * Gb, "c"));
        app.Clock.Advance(TimeSpan.FromDays(2));
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            Assert.Equal(1, await ActivatorUtilities.CreateInstance<PlanExpiryJob>(scope.ServiceProvider).ExpireDueAsync(CancellationToken.None));
        }

        Assert.Equal("expired", await app.Database.ScalarAsync<string>("SELECT status FROM reseller.plan_periods WHERE plan_id = @p", ("p", shortLived)));
        Assert.Equal(5, await app.Database.ScalarAsync<long>("SELECT count(*) FROM reseller.plan_periods"));
        Assert.Equal(0, await app.Database.ScalarAsync<long>("""
            SELECT count(*) FROM reseller.plans p FULL JOIN reseller.plan_periods x ON x.plan_id = p.id
            WHERE (p.id, p.reseller_id, p.mode, p.product, p.status, p.created_at, p.expires_at)
                  IS DISTINCT FROM (x.plan_id, x.reseller_id, x.mode, x.product, x.status, x.created_at, x.expires_at)
            """));

        // Today: the bandwidth plan and the extended one run; the one that expired yesterday and the cancelled one do not.
        var today = await Api.DataAsync(await reseller.Live().GetAsync("/api/v1/usage/summary?period=today"));
        Assert.Equal(2, today.GetProperty("total").GetProperty("plans").GetInt32());
        Assert.Equal(1, today.GetProperty("products").GetProperty("unlimited_residential").GetProperty("plans").GetInt32());
        var all = await Api.DataAsync(await reseller.Live().GetAsync("/api/v1/usage/summary?period=all"));
        Assert.Equal(3, all.GetProperty("total").GetProperty("plans").GetInt32());
        var sandboxAll = await Api.DataAsync(await reseller.Sandbox().GetAsync("/sandbox/api/v1/usage/summary?period=all"));
        Assert.Equal(1, sandboxAll.GetProperty("total").GetProperty("plans").GetInt32());
    }
}
