using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using FluxSuite.Reseller.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Reseller.Tests;

/// <summary>
/// <c>plan_counts</c>, the plans per reseller, mode, product and expiry day that the usage summary reads: equal to a
/// direct count over <c>plans</c> after purchases, extensions, upgrades, cancellations, the expiry job, usage reports and
/// deletes, and the summary's plan counts equal to counting the plans that ran in each period, whatever the clock says.
/// </summary>
[Collection(ResellerCollection.Name)]
public sealed class PlanCountsTests(ResellerApp app) : IAsyncLifetime
{
    private static readonly string[] Periods = ["today", "week", "month", "all"];

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        await app.SetDedicatedMobileStockAsync(nl: 5, uk: 5);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_plans_bought_extended_upgraded_cancelled_expired_and_deleted_Then_the_counts_and_the_summary_equal_a_direct_count()
    {
        var start = app.Clock.GetUtcNow();
        var midnight = new DateTimeOffset(start.UtcDateTime.Date, TimeSpan.Zero).AddDays(2);
        var latest = midnight;
        try
        {
            var reseller = await app.CreateFundedResellerAsync(100_000_000);

            // At a midnight: a one-day plan that expires exactly at the next midnight.
            app.Clock.Set(midnight);
            var oneDay = await app.BuyAsync(reseller, new { product = "unlimited_residential", duration = "1_day", bandwidth_mbps = 200 });
            var bandwidth = await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 10 });
            var mobile = await app.BuyAsync(reseller, new { product = "dedicated_mobile", duration = "7_days", location = "NL" });
            await app.BuyAsync(reseller, new { product = "unlimited_residential", duration = "1_day", bandwidth_mbps = 200 });
            await app.BuyAsync(reseller, new { product = "pool1", bandwidth_gb = 5 }, "test");
            var sandboxHour = await app.BuyAsync(reseller, new { product = "datacenter", billing_type = "time", duration = "1_hour", mbps = 10 }, "test");
            await AssertExactAsync(reseller);

            app.Clock.Advance(new TimeSpan(13, 37, 11));
            var hour = await app.BuyAsync(reseller, new { product = "datacenter", billing_type = "time", duration = "1_hour", mbps = 10 });
            var hybrid = await app.BuyAsync(reseller, new { product = "datacenter", billing_type = "time", duration = "1_day", mbps = 200 });
            var unlimited = await app.BuyAsync(reseller, new { product = "unlimited_residential", duration = "30_days", bandwidth_mbps = 400 });
            var mobileBandwidth = await app.BuyAsync(reseller, new { product = "mobile", bandwidth_gb = 5 });
            await AssertExactAsync(reseller);

            // Extensions move a plan to a later day's count; a bandwidth extension and an upgrade change no count.
            await ChangeAsync(reseller, oneDay, "extend", new { add_days = 7 });
            await ChangeAsync(reseller, hybrid, "extend", new { add_days = 3 });
            await ChangeAsync(reseller, mobile, "extend", new { add_days = 14 });
            await ChangeAsync(reseller, bandwidth, "extend", new { add_bandwidth_gb = 2 });
            await ChangeAsync(reseller, unlimited, "upgrade", new { bandwidth_mbps = 800 });
            await AssertExactAsync(reseller);

            // Cancellations (one plan, then two in one statement), a cancellation taken back, and one transaction that
            // moves a plan twice.
            await ExecuteAsync("UPDATE reseller.plans SET status = 'cancelled' WHERE id = @a", unlimited);
            await ExecuteAsync("UPDATE reseller.plans SET status = 'cancelled' WHERE id IN (@a, @b)", hour, mobileBandwidth);
            await ExecuteAsync("UPDATE reseller.plans SET status = 'active' WHERE id = @a", mobileBandwidth);
            await ExecuteAsync("""
                UPDATE reseller.plans SET expires_at = expires_at + interval '3 days' WHERE id = @a;
                UPDATE reseller.plans SET expires_at = expires_at - interval '1 day', status = 'cancelled' WHERE id = @a;
                UPDATE reseller.plans SET status = 'active' WHERE id = @a;
                """, hybrid);
            await AssertExactAsync(reseller);

            // The expiry job: expired plans still ran in the periods before their expiry.
            app.Clock.Advance(TimeSpan.FromDays(9));
            latest = app.Clock.GetUtcNow();
            await using (var scope = app.Factory.Services.CreateAsyncScope())
            {
                Assert.True(await ActivatorUtilities.CreateInstance<PlanExpiryJob>(scope.ServiceProvider).ExpireDueAsync(CancellationToken.None) >= 3);
            }

            await AssertExactAsync(reseller);

            // Deletes: a counted plan and a cancelled one.
            await ExecuteAsync("DELETE FROM reseller.plans WHERE id IN (@a, @b)", mobile, unlimited);
            await ExecuteAsync("DELETE FROM reseller.plans WHERE id = @a", sandboxHour);
            await AssertExactAsync(reseller);

            // A clock behind the purchases: plans bought after its now did not run yet. The day after the first
            // purchases, the one-day plan bought at midnight ran until this day's start, not in it.
            app.Clock.Set(midnight.AddDays(1).AddHours(1));
            await AssertExactAsync(reseller);
            app.Clock.Set(midnight.AddHours(6));
            await AssertExactAsync(reseller);
            app.Clock.Set(midnight.AddSeconds(-1));
            await AssertExactAsync(reseller);

            // Weeks and months later.
            app.Clock.Set(midnight.AddDays(45).AddHours(23));
            latest = app.Clock.GetUtcNow();
            await AssertExactAsync(reseller);
            Assert.Equal(0, await app.Database.ScalarAsync<long>("SELECT count(*) FROM reseller.plan_counts WHERE plans <= 0"));
        }
        finally
        {
            // The clock only goes forward for the tests after this one.
            app.Clock.Set(latest.AddDays(1) > start ? latest.AddDays(1) : start);
        }
    }

    [Fact]
    public async Task Given_purchases_and_extensions_of_one_reseller_at_once_Then_all_succeed_and_the_counts_stay_exact()
    {
        var reseller = await app.CreateFundedResellerAsync(100_000_000);
        var existing = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            existing.Add(await app.BuyAsync(reseller, new { product = "unlimited_residential", duration = "1_day", bandwidth_mbps = 200 }));
        }

        // Three keys of the reseller, eight requests each: within each key's limit of 20 in flight.
        var clients = new List<HttpClient> { reseller.Live() };
        var admin = app.CreateAdminClient();
        while (clients.Count < 3)
        {
            var key = await Api.DataAsync(await admin.PostAsJsonAsync($"/admin/resellers/{reseller.Id}/keys", new { mode = "live" }));
            clients.Add(app.Factory.CreateBearerClient(key.GetProperty("key").GetString()!));
        }

        var purchases = Enumerable.Range(0, 16).Select(i => clients[i % 2].PostJsonAsync("/api/v1/plans",
            i % 2 == 0
                ? new { product = "unlimited_residential", duration = "1_day", bandwidth_mbps = 200 }
                : (object)new { product = "residential", bandwidth_gb = 1 }));
        var extensions = existing.Select(id => clients[2].PostJsonAsync($"/api/v1/plans/{id}/extend", new { add_days = 7 }));
        var responses = await Task.WhenAll(purchases.Concat(extensions));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        await AssertExactAsync(reseller);
        Assert.Equal(24, await app.Database.ScalarAsync<long>("SELECT sum(plans) FROM reseller.plan_counts WHERE reseller_id = @r", ("r", reseller.Id)));
    }

    [Fact]
    public async Task Given_plans_bought_extended_expired_cancelled_and_reported_on_Then_the_counts_and_the_summary_count_the_plans_that_ran()
    {
        var reseller = await app.CreateFundedResellerAsync(10_000_000);
        var bandwidth = await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 10 });
        var shortLived = await app.BuyAsync(reseller, new { product = "unlimited_residential", duration = "1_day", bandwidth_mbps = 200 });
        var extended = await app.BuyAsync(reseller, new { product = "unlimited_residential", duration = "1_day", bandwidth_mbps = 200 });
        var cancelled = await app.BuyAsync(reseller, new { product = "mobile", bandwidth_gb = 5 });
        var sandbox = await app.BuyAsync(reseller, new { product = "pool1", bandwidth_gb = 5 }, "test");

        await ChangeAsync(reseller, extended, "extend", new { add_days = 7 });
        await ExecuteAsync("UPDATE reseller.plans SET status = 'cancelled' WHERE id = @a", cancelled);
        await app.ReportAcceptedAsync(app.Record(bandwidth, 2 * Gb, "a"), app.Record(sandbox, 1 * Gb, "b"), app.Record(extended, 3 * Gb, "c"));
        app.Clock.Advance(TimeSpan.FromDays(2));
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            Assert.Equal(1, await ActivatorUtilities.CreateInstance<PlanExpiryJob>(scope.ServiceProvider).ExpireDueAsync(CancellationToken.None));
        }

        Assert.Equal("expired", await app.Database.ScalarAsync<string>("SELECT status FROM reseller.plans WHERE id = @p", ("p", shortLived)));
        await AssertExactAsync(reseller);

        // Today: the bandwidth plan and the extended one run; the one that expired yesterday and the cancelled one do not.
        var today = await Api.DataAsync(await reseller.Live().GetAsync("/api/v1/usage/summary?period=today"));
        Assert.Equal(2, today.GetProperty("total").GetProperty("plans").GetInt32());
        Assert.Equal(1, today.GetProperty("products").GetProperty("unlimited_residential").GetProperty("plans").GetInt32());
        var all = await Api.DataAsync(await reseller.Live().GetAsync("/api/v1/usage/summary?period=all"));
        Assert.Equal(3, all.GetProperty("total").GetProperty("plans").GetInt32());
        var sandboxAll = await Api.DataAsync(await reseller.Sandbox().GetAsync("/sandbox/api/v1/usage/summary?period=all"));
        Assert.Equal(1, sandboxAll.GetProperty("total").GetProperty("plans").GetInt32());
    }

    private async Task ChangeAsync(TestReseller reseller, Guid plan, string action, object body)
    {
        var response = await reseller.Live().PostJsonAsync($"/api/v1/plans/{plan}/{action}", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task ExecuteAsync(string sql, Guid a, Guid? b = null) =>
        await app.Database.ScalarAsync<object>(sql, ("a", a), ("b", b ?? Guid.Empty));

    /// <summary>The counts equal a count over the plans, and every period's summary of both modes a direct count.</summary>
    private async Task AssertExactAsync(TestReseller reseller)
    {
        Assert.Equal(0, await app.Database.ScalarAsync<long>("""
            SELECT count(*)
            FROM reseller.plan_counts c
            FULL JOIN (SELECT reseller_id, mode, product, count(*)::int AS plans,
                              CASE WHEN expires_at IS NULL THEN 'infinity'::timestamptz
                                   ELSE date_trunc('day', expires_at - interval '1 microsecond', 'UTC') + interval '24 hours' END AS ends_by
                       FROM reseller.plans WHERE status <> 'cancelled' GROUP BY 1, 2, 3, 5) d
              USING (reseller_id, mode, product, ends_by)
            WHERE c.plans IS DISTINCT FROM d.plans
            """));

        var now = app.Clock.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        foreach (var mode in new[] { "live", "test" })
        {
            foreach (var period in Periods)
            {
                DateTimeOffset? from = period switch
                {
                    "today" => today,
                    "week" => today.AddDays(-(((int)now.DayOfWeek + 6) % 7)),
                    "month" => new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero),
                    _ => null,
                };
                var expected = await app.Database.ScalarAsync<string>("""
                    SELECT coalesce(string_agg(product || '=' || n, ',' ORDER BY product COLLATE "C"), '')
                    FROM (SELECT product, count(*) AS n FROM reseller.plans
                          WHERE reseller_id = @r AND mode = @m AND status <> 'cancelled' AND created_at <= @now
                            AND (expires_at IS NULL OR @all OR expires_at > @from)
                          GROUP BY product) x
                    """, ("r", reseller.Id), ("m", mode), ("now", now), ("all", from is null), ("from", from ?? now));

                var summary = await Api.DataAsync(await reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/usage/summary?period={period}"));
                var products = summary.GetProperty("products").EnumerateObject()
                    .Select(p => (p.Name, Plans: p.Value.GetProperty("plans").GetInt32()))
                    .Where(p => p.Plans != 0)
                    .OrderBy(p => p.Name, StringComparer.Ordinal)
                    .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name}={p.Plans}"));
                Assert.Equal(expected, string.Join(',', products));
                Assert.Equal(
                    summary.GetProperty("products").EnumerateObject().Sum(p => p.Value.GetProperty("plans").GetInt32()),
                    summary.GetProperty("total").GetProperty("plans").GetInt32());
            }
        }
    }
}
