using System.Net;
using System.Net.Http.Json;

namespace FluxSuite.Reseller.Tests;

/// <summary>The daily rollup per plan (<c>usage_plan_daily</c>): equal to the raw records, and what daily and weekly reads add up.</summary>
[Collection(ResellerCollection.Name)]
public sealed class UsagePlanDayRollupTests(ResellerApp app) : IAsyncLifetime
{
    /// <summary>A Wednesday at 12:30 UTC.</summary>
    private static readonly DateTimeOffset Now = new(2026, 1, 14, 12, 30, 0, TimeSpan.Zero);

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        app.Clock.Set(Now);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_concurrent_reports_over_shared_plans_Then_the_daily_rollup_per_plan_equals_the_raw_records_day_by_day()
    {
        var reseller = await app.CreateFundedResellerAsync(10_000_000);
        var capped = await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 5 });
        var roomy = await app.BuyAsync(reseller, new { product = "mobile", bandwidth_gb = 1000 });
        var sandbox = await app.BuyAsync(reseller, new { product = "pool1", bandwidth_gb = 1000 }, "test");
        Guid[] plans = [capped, roomy, sandbox];

        // 12 reports of 300 records over 10 days; every record id is sent by two reports.
        var random = new Random(7);
        var batches = Enumerable.Range(0, 12).Select(b => Enumerable.Range(0, 300).Select(i =>
            app.Record(plans[(b / 2 + i) % plans.Length], random.Next(1, 40) * 10_000_000L, $"day-{b / 2}-{i}",
                TimeSpan.FromMinutes(random.Next(0, 10 * 24 * 60)))).ToArray()).ToList();
        var responses = await Task.WhenAll(batches.Select(records => app.CreateAdminClient().PostAsJsonAsync("/admin/usage", new { records })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.True(await Count($"SELECT overage_bytes FROM reseller.plans WHERE id = '{capped}'") > 0);
        Assert.Equal(0, await Count("""
            SELECT count(*) FROM (
                SELECT plan_id, date_trunc('day', at, 'UTC') AS day, sum(accepted_bytes) b, sum(bytes - accepted_bytes) o, count(*) n
                FROM reseller.usage_records GROUP BY 1, 2) raw
            FULL JOIN reseller.usage_plan_daily d USING (plan_id, day)
            WHERE raw.b IS DISTINCT FROM d.bytes OR raw.o IS DISTINCT FROM d.overage_bytes OR raw.n IS DISTINCT FROM d.records
            """));
        Assert.True(await Count("SELECT count(*) FROM reseller.usage_plan_daily") >= 10);
    }

    [Fact]
    public async Task Given_traffic_on_the_period_edges_Then_the_overview_and_the_daily_and_weekly_series_count_each_record_once()
    {
        var reseller = await app.CreateFundedResellerAsync(10_000_000);
        var plan = await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 1000 });
        var today = new DateTimeOffset(2026, 1, 14, 0, 0, 0, TimeSpan.Zero);
        await app.ReportAcceptedAsync(
            Traffic(plan, 1 * Gb, Now.AddMinutes(4)),               // ahead of the clock, within the skew: this hour
            Traffic(plan, 2 * Gb, today),                           // today's first instant
            Traffic(plan, 4 * Gb, today.AddMinutes(-1)),            // yesterday, within the last 24 hours
            Traffic(plan, 8 * Gb, today.AddDays(-6)),               // the first day of the last 7
            Traffic(plan, 16 * Gb, today.AddDays(-6).AddTicks(-1)), // just before it
            Traffic(plan, 32 * Gb, today.AddDays(-29)),             // the first of the 30 days
            Traffic(plan, 64 * Gb, today.AddDays(-30)));            // outside every period

        var usage = await Api.DataAsync(await reseller.Live().GetAsync($"/api/v1/plans/{plan}/usage"));
        var periods = usage.GetProperty("periods");
        Assert.Equal(1 * Gb, periods.GetProperty("last_hour").GetInt64());
        Assert.Equal(3 * Gb, periods.GetProperty("today").GetInt64());
        Assert.Equal(7 * Gb, periods.GetProperty("last_24_hours").GetInt64());
        Assert.Equal(15 * Gb, periods.GetProperty("last_7_days").GetInt64());
        Assert.Equal(63 * Gb, periods.GetProperty("last_30_days").GetInt64());
        var daily = usage.GetProperty("daily");
        Assert.Equal(30, daily.GetArrayLength());
        Assert.Equal((32 * Gb, 3 * Gb), (daily[0].GetProperty("bytes").GetInt64(), daily[29].GetProperty("bytes").GetInt64()));

        var days = await Api.DataAsync(await reseller.Live().GetAsync($"/api/v1/usage/plans/{plan}?granularity=daily"));
        Assert.Equal(127 * Gb - 64 * Gb, days.GetProperty("totals").GetProperty("bytes").GetInt64());
        var weeks = await Api.DataAsync(await reseller.Live().GetAsync($"/api/v1/usage/plans/{plan}?granularity=weekly&from=2025-12-01&to=2026-01-19"));
        // Weeks from Monday 2025-12-01 to Monday 2026-01-19: every record is in one of them.
        Assert.Equal(7, weeks.GetProperty("points").GetArrayLength());
        Assert.Equal(127 * Gb, weeks.GetProperty("totals").GetProperty("bytes").GetInt64());
        Assert.Equal(7, weeks.GetProperty("totals").GetProperty("records").GetInt64());
        Assert.Equal(1 * Gb + 2 * Gb + 4 * Gb, weeks.GetProperty("points")[6].GetProperty("bytes").GetInt64());
    }

    private static object Traffic(Guid plan, long bytes, DateTimeOffset at) => new { plan_id = plan, bytes, at };

    private async Task<long> Count(string sql) => await app.Database.ScalarAsync<long>(sql);
}
