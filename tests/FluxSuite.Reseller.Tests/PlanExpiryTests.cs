using FluxSuite.Reseller.Jobs;
using FluxSuite.Testing;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Reseller.Tests;

/// <summary>The plan expiry job, run through Hangfire after the test clock has moved, and extending expired plans.</summary>
[Collection(ResellerCollection.Name)]
public sealed class PlanExpiryTests(ResellerApp app) : IAsyncLifetime
{
    private TestReseller _reseller = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        _reseller = await app.CreateResellerAsync();
        foreach (var mode in new[] { "live", "test" })
        {
            await app.TopUpAsync(_reseller.Id, 10_000_000, mode);
            await app.SetPoolAsync("ISP_US_GENERAL", 10, mode: mode);
            await app.SetDedicatedMobileStockAsync(nl: 3, uk: 0, mode: mode);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_time_based_plans_When_the_clock_passes_their_expiry_and_the_job_runs_Then_they_are_marked_expired_once_and_dedicated_stock_returns(string mode)
    {
        var hourly = await app.BuyAsync(_reseller, new { product = "datacenter", billing_type = "time", duration = "1_hour", mbps = 10 }, mode);
        var mobile = await app.BuyAsync(_reseller, new { product = "dedicated_mobile", duration = "7_days", location = "NL" }, mode);
        var isp = await app.BuyAsync(_reseller, new { product = "dedicated_isp", quantity = 4, pool = "ISP_US_GENERAL" }, mode);
        var bandwidth = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 1 }, mode);
        Assert.Equal((2, 6), (await MobileStockAsync(mode), await PoolStockAsync(mode)));

        await AdvanceUntilTheJobHasRunAsync(TimeSpan.FromDays(8), async () => await StoredStatusAsync(mobile) == "expired");
        var firstRun = await ExpiredAtAsync(hourly);
        Assert.Equal("expired", await StoredStatusAsync(hourly));
        Assert.Equal(("active", "active"), (await StoredStatusAsync(isp), await StoredStatusAsync(bandwidth)));
        Assert.Equal((3, 6), (await MobileStockAsync(mode), await PoolStockAsync(mode)));

        // Thirty days after the purchase the dedicated ISP plan is due too; the job runs again, and what it expired before stays as it was.
        await AdvanceUntilTheJobHasRunAsync(TimeSpan.FromDays(23), async () => await StoredStatusAsync(isp) == "expired");
        Assert.Equal((3, 10), (await MobileStockAsync(mode), await PoolStockAsync(mode)));
        Assert.Equal(firstRun, await ExpiredAtAsync(hourly));
        Assert.Equal(firstRun, await ExpiredAtAsync(mobile));
        Assert.Equal("active", await StoredStatusAsync(bandwidth));
        var expired = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/plans?status=expired"));
        Assert.Equal(new[] { hourly, mobile, isp }.Order(), expired.GetProperty("plans").EnumerateArray().Select(p => p.GetProperty("plan_id").GetGuid()).Order());
    }

    [Fact]
    public async Task Given_many_due_plans_When_two_instances_run_the_expiry_at_once_Then_each_plan_is_expired_and_its_stock_returned_exactly_once()
    {
        var template = await app.BuyAsync(_reseller, new { product = "dedicated_isp", quantity = 1, pool = "ISP_US_GENERAL" });
        // More than two batches' worth, copies of a real plan, each holding one IP of the pool.
        const int copies = (2 * PlanExpiryJob.BatchSize) + 100;
        await app.Database.ScalarAsync<long>("""
            WITH inserted AS (
                INSERT INTO reseller.plans
                SELECT (jsonb_populate_record(p, jsonb_build_object('id', gen_random_uuid(), 'upstream_reference', 'copy-' || n))).*
                FROM reseller.plans p, generate_series(1, @copies) AS n WHERE p.id = @template
                RETURNING 1)
            SELECT count(*) FROM inserted
            """, ("copies", copies), ("template", template));
        // The job fires only when triggered here (ResellerApp), so only the two runs below see the plans due.
        app.Clock.Advance(TimeSpan.FromDays(31));

        var counts = await Task.WhenAll(RunJobAsync(), RunJobAsync());
        var again = await RunJobAsync();

        Assert.Equal(copies + 1, counts.Sum());
        Assert.Equal(0, again);
        Assert.Equal(copies + 1, await app.Database.ScalarAsync<long>("SELECT count(*) FROM reseller.plans WHERE status = 'expired'"));
        Assert.Equal(10 - 1 + copies + 1, await PoolStockAsync("live"));
    }

    [Fact]
    public async Task Given_the_scheduler_Then_plan_expiry_is_a_recurring_job_that_does_not_retry_and_trigger_now_runs_it()
    {
        using (var connection = app.Factory.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == PlanExpiryJob.Id);
            Assert.Equal("reseller", job.Queue);
            Assert.Equal(nameof(PlanExpiryJob), job.Job.Type.Name);
        }

        Assert.Equal(0, Assert.IsType<AutomaticRetryAttribute>(
            Attribute.GetCustomAttribute(typeof(PlanExpiryJob), typeof(AutomaticRetryAttribute))).Attempts);
        var plan = await app.BuyAsync(_reseller, new { product = "dedicated_mobile", duration = "7_days", location = "NL" });
        app.Clock.Advance(TimeSpan.FromDays(8));

        await app.Factory.RunRecurringJobAsync(PlanExpiryJob.Id);

        Assert.Equal("expired", await StoredStatusAsync(plan));
    }

    [Fact]
    public async Task Given_a_cancelled_or_not_yet_due_plan_Then_the_job_leaves_it_alone()
    {
        var cancelled = await app.BuyAsync(_reseller, new { product = "dedicated_mobile", duration = "7_days", location = "NL" });
        var later = await app.BuyAsync(_reseller, new { product = "unlimited_residential", duration = "30_days", bandwidth_mbps = 200 });
        await app.Database.ScalarAsync<int>("UPDATE reseller.plans SET status = 'cancelled' WHERE id = @p RETURNING 1", ("p", cancelled));
        app.Clock.Advance(TimeSpan.FromDays(8));

        Assert.Equal(0, await RunJobAsync());

        Assert.Equal(("cancelled", "active"), (await StoredStatusAsync(cancelled), await StoredStatusAsync(later)));
        Assert.Equal(2, await MobileStockAsync("live"));
    }

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_a_plan_the_job_expired_When_extended_or_upgraded_Then_400_naming_plan_id_and_nothing_is_charged(string mode)
    {
        var plan = await app.BuyAsync(_reseller, new { product = "unlimited_residential", duration = "1_day", bandwidth_mbps = 200 }, mode);
        await AdvanceUntilTheJobHasRunAsync(TimeSpan.FromDays(2), async () => await StoredStatusAsync(plan) == "expired");
        var balance = await app.BalanceAsync(_reseller.Id, mode);
        var client = _reseller.Client(mode);

        var extend = await client.PostJsonAsync($"{TestReseller.Base(mode)}/plans/{plan}/extend", new { add_days = 1 });
        var upgrade = await client.PostJsonAsync($"{TestReseller.Base(mode)}/plans/{plan}/upgrade", new { bandwidth_mbps = 400 });

        Assert.Contains("expired", await Api.ValidationErrorAsync(extend, "plan_id"), StringComparison.Ordinal);
        Assert.Contains("Buy a new plan", await Api.ValidationErrorAsync(upgrade, "plan_id"), StringComparison.Ordinal);
        Assert.Equal(balance, await app.BalanceAsync(_reseller.Id, mode));
        Assert.Equal(balance, await app.LedgerSumAsync(_reseller.Id, mode));
        var view = await Api.DataAsync(await client.GetAsync($"{TestReseller.Base(mode)}/plans/{plan}"));
        Assert.Equal("expired", view.GetProperty("status").GetString());
        Assert.Equal(app.Clock.GetUtcNow().AddDays(-1).UtcDateTime, view.GetProperty("expires_at").GetDateTime());
    }

    /// <summary>Moves the clock, runs the expiry job through Hangfire ("Trigger now") and checks that the run did <paramref name="done"/>.</summary>
    private async Task AdvanceUntilTheJobHasRunAsync(TimeSpan by, Func<Task<bool>> done)
    {
        app.Clock.Advance(by);
        await app.Factory.RunRecurringJobAsync(PlanExpiryJob.Id);
        Assert.True(await done(), $"the expiry job ran after the clock moved {by} ahead, but did not do what was due");
    }

    private async Task<int> RunJobAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var job = ActivatorUtilities.CreateInstance<PlanExpiryJob>(scope.ServiceProvider);
        return await job.ExpireDueAsync(CancellationToken.None);
    }

    private Task<string?> StoredStatusAsync(Guid plan) =>
        app.Database.ScalarAsync<string>("SELECT status FROM reseller.plans WHERE id = @p", ("p", plan));

    private async Task<DateTime> ExpiredAtAsync(Guid plan) =>
        await app.Database.ScalarAsync<DateTime>("SELECT updated_at FROM reseller.plans WHERE id = @p AND status = 'expired'", ("p", plan));

    private async Task<int> MobileStockAsync(string mode)
    {
        var stock = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/servers/stock/dedicated-mobile"));
        return stock.GetProperty("locations").EnumerateArray().Single(l => l.GetProperty("location").GetString() == "NL").GetProperty("stock").GetInt32();
    }

    private async Task<int> PoolStockAsync(string mode)
    {
        var pools = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/proxies/pools"));
        return pools.GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("pool").GetString() == "ISP_US_GENERAL").GetProperty("stock").GetInt32();
    }
}
