using System.Net;
using System.Text.Json;

namespace FluxSuite.Reseller.Tests;

/// <summary>The usage reads: summary, per-plan series and overview, real time and the unlimited monitor series — live and sandbox.</summary>
[Collection(ResellerCollection.Name)]
public sealed class UsageReadTests(ResellerApp app) : IAsyncLifetime
{
    /// <summary>A Wednesday, mid-month, at noon UTC.</summary>
    private static readonly DateTimeOffset Now = new(2026, 1, 14, 12, 30, 0, TimeSpan.Zero);

    private static readonly string[] Modes = ["live", "test"];

    private TestReseller _reseller = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        app.Clock.Set(Now);
        _reseller = await app.CreateFundedResellerAsync(10_000_000);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_traffic_over_several_periods_Then_the_summary_totals_bytes_plans_and_spend_per_product_for_each_period(string mode)
    {
        var residential = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 20 }, mode);
        var mobile = await app.BuyAsync(_reseller, new { product = "mobile", bandwidth_gb = 10 }, mode);
        await app.ReportAcceptedAsync(
            Traffic(residential, 1 * Gb, Now.AddHours(-1)),        // today
            Traffic(residential, 2 * Gb, Now.AddDays(-2)),         // Monday: this week
            Traffic(mobile, 4 * Gb, Now.AddDays(-5)),              // the 9th: this month
            Traffic(residential, 8 * Gb, Now.AddDays(-20)));       // December

        var today = await Summary(mode, "today");
        var week = await Summary(mode, "week");
        var month = await Summary(mode, null);
        var all = await Summary(mode, "all");

        Assert.Equal(1 * Gb, Total(today, "bytes"));
        Assert.Equal(3 * Gb, Total(week, "bytes"));
        Assert.Equal(7 * Gb, Total(month, "bytes"));
        Assert.Equal(15 * Gb, Total(all, "bytes"));
        Assert.Equal("month", month.GetProperty("period").GetString());
        Assert.Equal(new DateTime(2026, 1, 12, 0, 0, 0, DateTimeKind.Utc), week.GetProperty("from").GetDateTime());
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), month.GetProperty("from").GetDateTime());
        Assert.Equal(JsonValueKind.Null, all.GetProperty("from").ValueKind);
        var products = all.GetProperty("products");
        Assert.Equal(15, products.EnumerateObject().Count());
        Assert.Equal(11 * Gb, products.GetProperty("residential").GetProperty("bytes").GetInt64());
        Assert.Equal(11m, products.GetProperty("residential").GetProperty("gb").GetDecimal());
        Assert.Equal(1, products.GetProperty("mobile").GetProperty("plans").GetInt32());
        Assert.Equal(20 * 300, products.GetProperty("residential").GetProperty("spend_cents").GetInt64());
        Assert.Equal(20 * 300 + 10 * 400, Total(today, "spend_cents"));
        Assert.Equal("$100.00", today.GetProperty("total").GetProperty("spend_formatted").GetString());
        Assert.Equal(2, today.GetProperty("total").GetProperty("plans").GetInt32());
    }

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_purchases_and_an_extension_on_several_days_Then_the_summary_spend_counts_each_in_its_period_and_product(string mode)
    {
        app.Clock.Set(Now.AddDays(-20));                                                                       // December
        var residential = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 20 }, mode);  // 6,000
        app.Clock.Set(Now.AddDays(-2));                                                                        // Monday
        var extended = await _reseller.Client(mode).PostJsonAsync(
            $"{TestReseller.Base(mode)}/plans/{residential}/extend", new { add_bandwidth_gb = 2.5 });           // 750
        Assert.Equal(HttpStatusCode.OK, extended.StatusCode);
        app.Clock.Set(Now.AddHours(-1));
        await app.BuyAsync(_reseller, new { product = "mobile", bandwidth_gb = 10 }, mode);                    // 4,000
        await app.TopUpAsync(_reseller.Id, 5_000, mode);
        app.Clock.Set(Now);

        var today = await Summary(mode, "today");
        var week = await Summary(mode, "week");
        var month = await Summary(mode, null);
        var all = await Summary(mode, "all");

        Assert.Equal((0, 4_000), (Spend(today, "residential"), Spend(today, "mobile")));
        Assert.Equal((750, 4_000), (Spend(week, "residential"), Spend(week, "mobile")));
        Assert.Equal((750, 4_000), (Spend(month, "residential"), Spend(month, "mobile")));
        Assert.Equal((6_750, 4_000), (Spend(all, "residential"), Spend(all, "mobile")));
        Assert.Equal(10_750, Total(all, "spend_cents"));
        Assert.Equal(0, Spend(all, "datacenter"));
        // Each charge keeps its plan's product; the top-ups have none.
        Assert.Equal(2, await app.CountAsync(
            "SELECT count(*) FROM reseller.ledger_entries WHERE reseller_id = @r AND mode = @m AND product = 'residential' AND type IN ('purchase', 'extend')",
            _reseller.Id, mode));
        Assert.Equal(0, await app.CountAsync(
            "SELECT count(*) FROM reseller.ledger_entries WHERE reseller_id = @r AND mode = @m AND type = 'topup' AND product IS NOT NULL",
            _reseller.Id, mode));
    }

    [Fact]
    public async Task Given_an_unknown_period_Then_400_naming_it()
    {
        foreach (var mode in Modes)
        {
            await Api.ValidationErrorAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/usage/summary?period=year"), "period");
            await Api.ValidationErrorAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/usage/summary?period=MONTH"), "period");
        }
    }

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_traffic_Then_the_plan_series_has_hourly_daily_and_weekly_buckets_with_zeros_between(string mode)
    {
        var plan = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 100 }, mode);
        await app.ReportAcceptedAsync(
            Traffic(plan, 100, Now.AddMinutes(-5)), Traffic(plan, 200, Now.AddMinutes(-20)),
            Traffic(plan, 400, Now.AddHours(-3)), Traffic(plan, 800, Now.AddDays(-9)));

        var hourly = await Series(mode, plan, "granularity=hourly");
        var daily = await Series(mode, plan, "granularity=daily");
        var weekly = await Series(mode, plan, "granularity=weekly");
        var defaulted = await Series(mode, plan, null);

        var hours = hourly.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(24, hours.Count);
        Assert.Equal(new DateTime(2026, 1, 14, 12, 0, 0, DateTimeKind.Utc), hours[^1].GetProperty("timestamp").GetDateTime());
        Assert.Equal(300, hours[^1].GetProperty("bytes").GetInt64());
        Assert.Equal(400, hours[^4].GetProperty("bytes").GetInt64());
        Assert.Equal(0, hours[^2].GetProperty("bytes").GetInt64());
        Assert.Equal(700, hourly.GetProperty("totals").GetProperty("bytes").GetInt64());
        var days = daily.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(30, days.Count);
        Assert.Equal(700, days[^1].GetProperty("bytes").GetInt64());
        Assert.Equal(800, days[^10].GetProperty("bytes").GetInt64());
        Assert.Equal("daily", defaulted.GetProperty("granularity").GetString());
        var weeks = weekly.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(12, weeks.Count);
        Assert.Equal(new DateTime(2026, 1, 12, 0, 0, 0, DateTimeKind.Utc), weeks[^1].GetProperty("timestamp").GetDateTime());
        // The 5th is the Monday of the week before this one.
        Assert.Equal((700L, 800L, 0L), (weeks[^1].GetProperty("bytes").GetInt64(), weeks[^2].GetProperty("bytes").GetInt64(), weeks[^3].GetProperty("bytes").GetInt64()));
    }

    [Fact]
    public async Task Given_from_and_to_Then_the_series_covers_exactly_those_buckets()
    {
        var plan = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 100 });
        await app.ReportAcceptedAsync(Traffic(plan, 5, Now.AddDays(-3)));

        var series = await Series("live", plan, "granularity=daily&from=2026-01-10T00:00:00Z&to=2026-01-13T00:00:00Z");

        Assert.Equal(["2026-01-10", "2026-01-11", "2026-01-12"],
            series.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("timestamp").GetDateTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(5, series.GetProperty("points")[1].GetProperty("bytes").GetInt64());
    }

    [Theory]
    [InlineData("granularity=monthly", "granularity")]
    [InlineData("from=last-week", "from")]
    [InlineData("from=2026-01-12T00:00:00Z&to=2026-01-10T00:00:00Z", "from")]
    [InlineData("granularity=hourly&from=2025-01-01T00:00:00Z", "from")]
    public async Task Given_a_bad_series_parameter_Then_400_naming_it(string query, string field)
    {
        foreach (var mode in Modes)
        {
            var plan = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 1 }, mode);

            await Api.ValidationErrorAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/usage/plans/{plan}?{query}"), field);
        }
    }

    [Fact]
    public async Task Given_another_resellers_or_the_other_modes_plan_Then_the_usage_reads_are_404()
    {
        var other = await app.CreateResellerAsync("Other");
        await app.TopUpAsync(other.Id, 10_000);
        var theirs = await app.BuyAsync(other, new { product = "residential", bandwidth_gb = 1 });
        var sandboxPlan = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 1 }, "test");

        var livePlan = await app.BuyAsync(_reseller, new { product = "unlimited_residential", duration = "1_day", bandwidth_mbps = 200 });

        foreach (var path in new[] { $"/api/v1/usage/plans/{theirs}", $"/api/v1/plans/{theirs}/usage", $"/api/v1/usage/plans/{sandboxPlan}", $"/api/v1/plans/{sandboxPlan}/usage-stats?from=0&to=60" })
        {
            await Api.ErrorAsync(await _reseller.Live().GetAsync(path), HttpStatusCode.NotFound, "NOT_FOUND");
        }

        foreach (var path in new[] { $"usage/plans/{livePlan}", $"plans/{livePlan}/usage", $"plans/{livePlan}/usage-stats?from=0&to=60", $"usage/plans/{Guid.NewGuid()}" })
        {
            await Api.ErrorAsync(await _reseller.Sandbox().GetAsync($"/sandbox/api/v1/{path}"), HttpStatusCode.NotFound, "NOT_FOUND");
        }
    }

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_traffic_Then_the_plan_usage_overview_shows_limits_recent_periods_and_30_days(string mode)
    {
        var plan = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 10 }, mode);
        await app.ReportAcceptedAsync(Traffic(plan, 1 * Gb, Now.AddMinutes(-10)), Traffic(plan, 2 * Gb, Now.AddHours(-20)), Traffic(plan, 3 * Gb, Now.AddDays(-6)));

        var usage = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/plans/{plan}/usage"));

        Assert.Equal(6 * Gb, usage.GetProperty("limits").GetProperty("bytes_used").GetInt64());
        Assert.Equal(4 * Gb, usage.GetProperty("bytes_remaining").GetInt64());
        var periods = usage.GetProperty("periods");
        Assert.Equal((1 * Gb, 1 * Gb, 3 * Gb, 6 * Gb, 6 * Gb), (periods.GetProperty("last_hour").GetInt64(), periods.GetProperty("today").GetInt64(),
            periods.GetProperty("last_24_hours").GetInt64(), periods.GetProperty("last_7_days").GetInt64(), periods.GetProperty("last_30_days").GetInt64()));
        Assert.Equal(30, usage.GetProperty("daily").GetArrayLength());
        Assert.Equal(1 * Gb, usage.GetProperty("daily")[29].GetProperty("bytes").GetInt64());
    }

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_recent_traffic_Then_realtime_lists_the_active_plans_with_traffic_in_the_window_busiest_first(string mode)
    {
        var busy = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 10 }, mode);
        var quiet = await app.BuyAsync(_reseller, new { product = "mobile", bandwidth_gb = 10 }, mode);
        var idle = await app.BuyAsync(_reseller, new { product = "mobile", bandwidth_gb = 10 }, mode);
        await app.ReportAcceptedAsync(
            Traffic(busy, 600_000_000, Now.AddMinutes(-1)), Traffic(busy, 150_000_000, Now.AddMinutes(-3)),
            Traffic(quiet, 1_000, Now.AddSeconds(-10)), Traffic(idle, 5_000, Now.AddMinutes(-30)));

        var realtime = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/usage/realtime"));
        var wide = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/usage/realtime?minutes=60"));

        Assert.Equal(5, realtime.GetProperty("window_minutes").GetInt32());
        var plans = realtime.GetProperty("plans").EnumerateArray().ToList();
        Assert.Equal([busy, quiet], plans.Select(p => p.GetProperty("plan_id").GetGuid()));
        Assert.Equal(750_000_000, plans[0].GetProperty("bytes").GetInt64());
        Assert.Equal(5, plans[0].GetProperty("series").GetArrayLength());
        Assert.Equal(600_000_000, plans[0].GetProperty("series")[3].GetProperty("bytes").GetInt64());
        // 750 MB over the 4 minutes of the window so far (12:26 to 12:30): 25 Mbps.
        Assert.Equal(25m, plans[0].GetProperty("mbps").GetDecimal());
        Assert.Equal(2, realtime.GetProperty("total").GetProperty("plans").GetInt32());
        Assert.Equal(3, wide.GetProperty("plans").GetArrayLength());
    }

    [Theory]
    [InlineData("minutes=0")]
    [InlineData("minutes=61")]
    [InlineData("minutes=soon")]
    public async Task Given_a_bad_realtime_window_Then_400_naming_minutes(string query)
    {
        foreach (var mode in Modes)
        {
            var error = await Api.ErrorAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/usage/realtime?{query}"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");

            // Out of range: details name it; not a number: the host's binding message does.
            Assert.Contains("minutes", error.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_an_unlimited_plan_Then_usage_stats_gives_hourly_points_with_traffic_and_restart_downtime(string mode)
    {
        var plan = await app.BuyAsync(_reseller, new { product = "unlimited_residential", duration = "7_days", bandwidth_mbps = 200 }, mode);
        await app.ReportAcceptedAsync(Traffic(plan, 1_800_000_000, Now.AddMinutes(-20)));
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var restart = await Api.DataAsync(await _reseller.Client(mode).PostAsync($"{TestReseller.Base(mode)}/servers/{plan}/restart", null));
        var downtime = restart.GetProperty("downtime_seconds").GetInt64();
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        var from = Now.AddHours(-2).ToUnixTimeSeconds();
        var to = app.Clock.GetUtcNow().ToUnixTimeSeconds();

        var stats = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/plans/{plan}/usage-stats?from={from}&to={to}"));

        var points = stats.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(3, points.Count);
        Assert.Equal(new DateTimeOffset(2026, 1, 14, 10, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), points[0].GetProperty("timestamp").GetInt64());
        Assert.Equal(1_800_000_000, points[2].GetProperty("bytes").GetInt64());
        Assert.Equal(4m, points[2].GetProperty("avg_mbps").GetDecimal());
        Assert.Equal(downtime, points[2].GetProperty("downtime_seconds").GetInt64());
        Assert.InRange(downtime, 60, 180);
        Assert.Equal((1_800_000_000L, downtime, 1), (stats.GetProperty("totals").GetProperty("bytes").GetInt64(),
            stats.GetProperty("totals").GetProperty("downtime_seconds").GetInt64(), stats.GetProperty("totals").GetProperty("restarts").GetInt32()));
    }

    [Theory]
    [InlineData("", "from")]
    [InlineData("from=100", "to")]
    [InlineData("from=0&to=0", "from")]
    [InlineData("from=200&to=100", "from")]
    [InlineData("from=-5&to=100", "from")]
    [InlineData("from=1.5&to=100", "from")]
    [InlineData("from=0&to=2592001", "to")]
    public async Task Given_a_bad_usage_stats_window_Then_400_naming_it(string query, string field)
    {
        foreach (var mode in Modes)
        {
            var plan = await app.BuyAsync(_reseller, new { product = "unlimited_residential", duration = "7_days", bandwidth_mbps = 200 }, mode);

            await Api.ValidationErrorAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/plans/{plan}/usage-stats?{query}"), field);
        }
    }

    [Fact]
    public async Task Given_a_window_of_exactly_30_days_Then_usage_stats_answers_720_points()
    {
        var plan = await app.BuyAsync(_reseller, new { product = "unlimited_residential", duration = "30_days", bandwidth_mbps = 200 });
        var from = Now.AddDays(-30).ToUnixTimeSeconds() - 1800;

        var stats = await Api.DataAsync(await _reseller.Live().GetAsync($"/api/v1/plans/{plan}/usage-stats?from={from}&to={from + (30 * 86400)}"));

        Assert.Equal(720, stats.GetProperty("points").GetArrayLength());
    }

    [Theory]
    [InlineData("residential")]
    [InlineData("dedicated_mobile")]
    public async Task Given_a_plan_that_is_not_unlimited_residential_Then_usage_stats_is_400(string product)
    {
        foreach (var mode in Modes)
        {
            await app.SetDedicatedMobileStockAsync(nl: 1, uk: 0, mode);
            var plan = await app.BuyAsync(_reseller, product == "residential"
                ? new { product, bandwidth_gb = 1 }
                : (object)new { product, duration = "7_days", location = "NL" }, mode);

            var message = await Api.ValidationErrorAsync(
                await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/plans/{plan}/usage-stats?from=0&to=3600"), "plan_id");

            Assert.Contains("unlimited_residential", message, StringComparison.Ordinal);
        }
    }

    private object Traffic(Guid plan, long bytes, DateTimeOffset at) => new { plan_id = plan, bytes, at };

    private async Task<JsonElement> Summary(string mode, string? period) =>
        await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/usage/summary{(period is null ? string.Empty : "?period=" + period)}"));

    private async Task<JsonElement> Series(string mode, Guid plan, string? query) =>
        await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/usage/plans/{plan}{(query is null ? string.Empty : "?" + query)}"));

    private static long Total(JsonElement summary, string field) => summary.GetProperty("total").GetProperty(field).GetInt64();

    private static long Spend(JsonElement summary, string product) =>
        summary.GetProperty("products").GetProperty(product).GetProperty("spend_cents").GetInt64();
}
