using System.Net;
using System.Net.Http.Json;

namespace FluxSuite.Reseller.Tests;

/// <summary>Many gateways reporting at once: nothing lost, nothing counted twice, limits held exactly, rollups equal to the records.</summary>
[Collection(ResellerCollection.Name)]
public sealed class UsageConcurrencyTests(ResellerApp app) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await app.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_concurrent_reports_over_shared_plans_Then_the_rollups_agree_with_the_raw_records_and_the_limits_hold()
    {
        var first = await app.CreateResellerAsync("First");
        var second = await app.CreateResellerAsync("Second");
        await app.TopUpAsync(first.Id, 10_000_000);
        await app.TopUpAsync(second.Id, 10_000_000);
        var subUser = await CreateSubUserAsync(first, 3);
        var capped = await app.BuyAsync(first, new { product = "residential", bandwidth_gb = 10 });
        var roomy = await app.BuyAsync(first, new { product = "mobile", bandwidth_gb = 1000 });
        var unlimited = await app.BuyAsync(first, new { product = "unlimited_residential", duration = "30_days", bandwidth_mbps = 200 });
        var ofSubUser1 = await app.BuyAsync(first, new { product = "residential", bandwidth_gb = 50, sub_user_id = subUser });
        var ofSubUser2 = await app.BuyAsync(first, new { product = "pool2", bandwidth_gb = 50, sub_user_id = subUser });
        var otherReseller = await app.BuyAsync(second, new { product = "residential", bandwidth_gb = 1000 });
        Guid[] plans = [capped, roomy, unlimited, ofSubUser1, ofSubUser2, otherReseller];

        // 16 reports of 400 records; every record id is sent by two different reports.
        var random = new Random(42);
        var batches = Enumerable.Range(0, 16).Select(b => Enumerable.Range(0, 400).Select(i =>
        {
            var plan = plans[((b / 2) * 7 + i) % plans.Length];
            var id = $"rec-{b / 2}-{i}";
            return app.Record(plan, random.Next(1, 40) * 20_000_000L, id, TimeSpan.FromMinutes(random.Next(0, 3 * 24 * 60)));
        }).ToArray()).ToList();

        var responses = await Task.WhenAll(batches.Select(records => app.CreateAdminClient().PostAsJsonAsync("/admin/usage", new { records })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var results = await Task.WhenAll(responses.Select(Api.DataAsync));
        Assert.Equal(16 * 400 / 2, results.Sum(r => r.GetProperty("stored").GetInt32()));
        Assert.Equal(16 * 400 / 2, results.Sum(r => r.GetProperty("duplicates").GetInt32()));
        Assert.Equal(16 * 400 / 2, await Count("SELECT count(*) FROM reseller.usage_records"));
        Assert.Equal(0, await Count("SELECT count(*) FROM (SELECT plan_id, record_id FROM reseller.usage_records GROUP BY 1, 2 HAVING count(*) > 1) d"));

        // Each plan's counters are the sums of its records.
        Assert.Equal(0, await Count("""
            SELECT count(*) FROM reseller.plans p
            LEFT JOIN (SELECT plan_id, sum(accepted_bytes) a, sum(bytes - accepted_bytes) o FROM reseller.usage_records GROUP BY plan_id) r ON r.plan_id = p.id
            WHERE p.bytes_used <> coalesce(r.a, 0) OR p.overage_bytes <> coalesce(r.o, 0)
            """));
        // Hourly, daily and per-minute rollups equal the records, bucket by bucket.
        Assert.Equal(0, await Count("""
            SELECT count(*) FROM (
                SELECT plan_id, date_trunc('hour', at, 'UTC') AS hour, sum(accepted_bytes) b, sum(bytes - accepted_bytes) o, count(*) n
                FROM reseller.usage_records GROUP BY 1, 2) raw
            FULL JOIN reseller.usage_hourly h USING (plan_id, hour)
            WHERE raw.b IS DISTINCT FROM h.bytes OR raw.o IS DISTINCT FROM h.overage_bytes OR raw.n IS DISTINCT FROM h.records
            """));
        Assert.Equal(0, await Count("""
            SELECT count(*) FROM (
                SELECT p.reseller_id, p.mode, p.product, date_trunc('day', r.at, 'UTC') AS day,
                       sum(r.accepted_bytes) b, sum(r.bytes - r.accepted_bytes) o, count(*) n
                FROM reseller.usage_records r JOIN reseller.plans p ON p.id = r.plan_id GROUP BY 1, 2, 3, 4) raw
            FULL JOIN reseller.usage_daily d USING (reseller_id, mode, product, day)
            WHERE raw.b IS DISTINCT FROM d.bytes OR raw.o IS DISTINCT FROM d.overage_bytes OR raw.n IS DISTINCT FROM d.records
            """));
        Assert.Equal(0, await Count($"""
            SELECT count(*) FROM (
                SELECT plan_id, date_trunc('minute', at, 'UTC') AS minute, sum(accepted_bytes) b, count(*) n
                FROM reseller.usage_records WHERE at >= '{app.Clock.GetUtcNow().AddMinutes(-60):O}'::timestamptz GROUP BY 1, 2) raw
            FULL JOIN reseller.usage_minutely m USING (plan_id, minute)
            WHERE raw.b IS DISTINCT FROM m.bytes OR raw.n IS DISTINCT FROM m.records
            """));
        // The oversubscribed plan and sub-user stop exactly at their limits, with the rest kept as overage.
        Assert.Equal(10 * Gb, await Count($"SELECT bytes_used FROM reseller.plans WHERE id = '{capped}'"));
        Assert.True(await Count($"SELECT overage_bytes FROM reseller.plans WHERE id = '{capped}'") > 0);
        Assert.Equal(3 * Gb, await Count($"SELECT bytes_used FROM reseller.sub_users WHERE id = '{subUser}'"));
        Assert.Equal(3 * Gb, await Count($"SELECT sum(bytes_used)::bigint FROM reseller.plans WHERE sub_user_id = '{subUser}'"));
        var summary = await Api.DataAsync(await first.Live().GetAsync("/api/v1/usage/summary?period=all"));
        Assert.Equal(await Count($"SELECT sum(accepted_bytes)::bigint FROM reseller.usage_records r JOIN reseller.plans p ON p.id = r.plan_id WHERE p.reseller_id = '{first.Id}'"),
            summary.GetProperty("total").GetProperty("bytes").GetInt64());
    }

    private async Task<Guid> CreateSubUserAsync(TestReseller reseller, decimal limitGb)
    {
        var response = await reseller.Live().PostJsonAsync("/api/v1/sub-users", new { name = "Shared end user", traffic_limit_gb = limitGb });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Api.DataAsync(response)).GetProperty("id").GetGuid();
    }

    private async Task<long> Count(string sql) => await app.Database.ScalarAsync<long>(sql);
}
