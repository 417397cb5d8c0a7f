using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FluxSuite.Testing;

namespace FluxSuite.Reseller.Tests;

/// <summary><c>POST /admin/usage</c>: accounting, idempotency per record id, unknown plans, exhausted plans and bad input.</summary>
[Collection(ResellerCollection.Name)]
public sealed class UsageReportTests(ResellerApp app) : IAsyncLifetime
{
    private TestReseller _reseller = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        _reseller = await app.CreateFundedResellerAsync(1_000_000);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_records_for_a_plan_Then_202_and_bytes_used_and_the_rollups_follow_them()
    {
        var plan = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 10 });

        var result = await app.ReportAcceptedAsync(
            app.Record(plan, 300_000_000, "r1"), app.Record(plan, 200_000_000, "r2", TimeSpan.FromHours(2)), app.Record(plan, 0, "r3"));

        Assert.Equal(3, result.GetProperty("received").GetInt32());
        Assert.Equal(3, result.GetProperty("stored").GetInt32());
        Assert.Equal(500_000_000, result.GetProperty("bytes_accepted").GetInt64());
        Assert.Equal(0, result.GetProperty("bytes_overage").GetInt64());
        Assert.Empty(result.GetProperty("overage").EnumerateArray());
        Assert.Empty(result.GetProperty("stopped_plans").EnumerateArray());
        var limits = (await Api.DataAsync(await _reseller.Live().GetAsync($"/api/v1/plans/{plan}"))).GetProperty("limits");
        Assert.Equal(500_000_000, limits.GetProperty("bytes_used").GetInt64());
        Assert.False(limits.GetProperty("exhausted").GetBoolean());
        Assert.Equal(2, await Scalar("SELECT count(*) FROM reseller.usage_hourly WHERE plan_id = @p", plan));
        Assert.Equal(500_000_000, await Scalar("SELECT sum(bytes)::bigint FROM reseller.usage_hourly WHERE plan_id = @p", plan));
        Assert.Equal(500_000_000, await Scalar("SELECT sum(bytes)::bigint FROM reseller.usage_daily WHERE reseller_id = (SELECT reseller_id FROM reseller.plans WHERE id = @p)", plan));
        Assert.Equal(300_000_000, await Scalar("SELECT sum(bytes)::bigint FROM reseller.usage_minutely WHERE plan_id = @p", plan));
        var balance = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/balance"));
        Assert.Equal(9_500_000_000, balance.GetProperty("allocations").GetProperty("residential").GetProperty("bytes_remaining").GetInt64());
    }

    [Fact]
    public async Task Given_a_record_id_reported_again_in_the_same_or_a_later_request_Then_it_is_counted_once()
    {
        var plan = await app.BuyAsync(_reseller, new { product = "mobile", bandwidth_gb = 5 });
        var other = await app.BuyAsync(_reseller, new { product = "mobile", bandwidth_gb = 5 });

        var first = await app.ReportAcceptedAsync(app.Record(plan, 1000, "gw-1"), app.Record(plan, 1000, "gw-1"), app.Record(other, 700, "gw-1"));
        var retry = await app.ReportAcceptedAsync(app.Record(plan, 1000, "gw-1"), app.Record(plan, 500, "gw-2"), app.Record(plan, 250), app.Record(plan, 250));

        Assert.Equal((2, 1), (first.GetProperty("stored").GetInt32(), first.GetProperty("duplicates").GetInt32()));
        Assert.Equal((3, 1), (retry.GetProperty("stored").GetInt32(), retry.GetProperty("duplicates").GetInt32()));
        Assert.Equal(2000, await Scalar("SELECT bytes_used FROM reseller.plans WHERE id = @p", plan));
        Assert.Equal(700, await Scalar("SELECT bytes_used FROM reseller.plans WHERE id = @p", other));
        Assert.Equal(2000, await Scalar("SELECT sum(bytes)::bigint FROM reseller.usage_hourly WHERE plan_id = @p", plan));
        Assert.Equal(4, await Scalar("SELECT count(*) FROM reseller.usage_records WHERE plan_id = @p", plan));
    }

    [Fact]
    public async Task Given_a_batch_mixing_stored_and_new_record_ids_on_a_plan_near_its_cap_Then_only_the_new_ones_take_its_room()
    {
        // The batch is first accounted as if no id were stored; the stored "a" makes that attempt's insert fail, and the
        // batch is accounted again with its ids looked up: "a", the earliest, must not take the room "b" is accepted into.
        var plan = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 1 });
        await app.ReportAcceptedAsync(app.Record(plan, 600_000_000, "a", TimeSpan.FromMinutes(3)));

        var mixed = await app.ReportAcceptedAsync(
            app.Record(plan, 100_000_000, "c"), app.Record(plan, 600_000_000, "a", TimeSpan.FromMinutes(3)),
            app.Record(plan, 400_000_000, "b", TimeSpan.FromMinutes(1)));

        Assert.Equal((3, 2, 1), (mixed.GetProperty("received").GetInt32(), mixed.GetProperty("stored").GetInt32(), mixed.GetProperty("duplicates").GetInt32()));
        Assert.Equal((400_000_000L, 100_000_000L), (mixed.GetProperty("bytes_accepted").GetInt64(), mixed.GetProperty("bytes_overage").GetInt64()));
        var overage = Assert.Single(mixed.GetProperty("overage").EnumerateArray());
        Assert.Equal((0, "c", 0L, "exhausted"), (overage.GetProperty("index").GetInt32(), overage.GetProperty("id").GetString(),
            overage.GetProperty("accepted_bytes").GetInt64(), overage.GetProperty("reason").GetString()));
        Assert.Equal(Gb, await Scalar("SELECT bytes_used FROM reseller.plans WHERE id = @p", plan));
        Assert.Equal(3, await Scalar("SELECT count(*) FROM reseller.usage_records WHERE plan_id = @p", plan));
        Assert.Equal(Gb, await Scalar("SELECT sum(accepted_bytes)::bigint FROM reseller.usage_records WHERE plan_id = @p", plan));
        Assert.Equal(Gb, await Scalar("SELECT sum(bytes)::bigint FROM reseller.usage_hourly WHERE plan_id = @p", plan));
        Assert.Equal(3, await Scalar("SELECT sum(records)::bigint FROM reseller.usage_plan_daily WHERE plan_id = @p", plan));
        Assert.Equal(100_000_000, await Scalar("SELECT sum(overage_bytes)::bigint FROM reseller.usage_daily WHERE reseller_id = (SELECT reseller_id FROM reseller.plans WHERE id = @p)", plan));
    }

    [Fact]
    public async Task Given_records_for_plans_that_do_not_exist_Then_they_are_reported_back_and_the_others_are_stored()
    {
        var plan = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 1 });
        var missing = Guid.NewGuid();

        var result = await app.ReportAcceptedAsync(app.Record(missing, 100, "a"), app.Record(plan, 100, "b"), app.Record(missing, 200));

        Assert.Equal(2, result.GetProperty("unknown").GetInt32());
        Assert.Equal(1, result.GetProperty("stored").GetInt32());
        var unknown = result.GetProperty("unknown_plans").EnumerateArray().ToList();
        Assert.Equal([0, 2], unknown.Select(u => u.GetProperty("index").GetInt32()));
        Assert.All(unknown, u => Assert.Equal(missing, u.GetProperty("plan_id").GetGuid()));
        Assert.Equal("a", unknown[0].GetProperty("id").GetString());
        Assert.Equal(0, await Scalar("SELECT count(*) FROM reseller.usage_records WHERE plan_id = @p", missing));
    }

    [Fact]
    public async Task Given_a_bandwidth_plan_reaching_max_bytes_Then_it_is_exhausted_stops_accepting_and_the_overage_is_kept()
    {
        var plan = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 1 });

        var reaching = await app.ReportAcceptedAsync(app.Record(plan, 600_000_000, "a", TimeSpan.FromMinutes(2)), app.Record(plan, 600_000_000, "b"));
        var beyond = await app.ReportAcceptedAsync(app.Record(plan, 50_000_000, "c"));

        var overage = Assert.Single(reaching.GetProperty("overage").EnumerateArray());
        Assert.Equal(1, overage.GetProperty("index").GetInt32());
        Assert.Equal((400_000_000L, 200_000_000L, "exhausted"),
            (overage.GetProperty("accepted_bytes").GetInt64(), overage.GetProperty("overage_bytes").GetInt64(), overage.GetProperty("reason").GetString()));
        var stopped = Assert.Single(reaching.GetProperty("stopped_plans").EnumerateArray());
        Assert.Equal((plan, "exhausted"), (stopped.GetProperty("plan_id").GetGuid(), stopped.GetProperty("reason").GetString()));
        Assert.Equal(0, beyond.GetProperty("bytes_accepted").GetInt64());
        Assert.Equal(50_000_000, beyond.GetProperty("bytes_overage").GetInt64());
        var limits = (await Api.DataAsync(await _reseller.Live().GetAsync($"/api/v1/plans/{plan}"))).GetProperty("limits");
        Assert.True(limits.GetProperty("exhausted").GetBoolean());
        Assert.Equal(Gb, limits.GetProperty("bytes_used").GetInt64());
        Assert.Equal(250_000_000, limits.GetProperty("overage_bytes").GetInt64());
        Assert.Equal(250_000_000, await Scalar("SELECT sum(overage_bytes)::bigint FROM reseller.usage_hourly WHERE plan_id = @p", plan));
        Assert.Equal(1_250_000_000, await Scalar("SELECT sum(bytes)::bigint FROM reseller.usage_records WHERE plan_id = @p", plan));
        var balance = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/balance"));
        Assert.Equal(0, balance.GetProperty("allocations").GetProperty("residential").GetProperty("bytes_remaining").GetInt64());
    }

    [Fact]
    public async Task Given_an_exhausted_plan_When_extended_Then_it_accepts_traffic_again()
    {
        var plan = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 1 });
        await app.ReportAcceptedAsync(app.Record(plan, Gb + 5));

        var extended = await _reseller.Live().PostJsonAsync($"/api/v1/plans/{plan}/extend", new { add_bandwidth_gb = 1 });
        var after = await app.ReportAcceptedAsync(app.Record(plan, 300));

        Assert.Equal(HttpStatusCode.OK, extended.StatusCode);
        Assert.False((await Api.DataAsync(extended)).GetProperty("limits").GetProperty("exhausted").GetBoolean());
        Assert.Equal(300, after.GetProperty("bytes_accepted").GetInt64());
        Assert.Equal(Gb + 300, await Scalar("SELECT bytes_used FROM reseller.plans WHERE id = @p", plan));
        Assert.Equal(5, await Scalar("SELECT overage_bytes FROM reseller.plans WHERE id = @p", plan));
    }

    [Fact]
    public async Task Given_a_time_plan_Then_traffic_before_expires_at_counts_and_traffic_after_it_is_overage()
    {
        var plan = await app.BuyAsync(_reseller, new { product = "datacenter", billing_type = "time", duration = "1_hour", mbps = 10 });
        app.Clock.Advance(TimeSpan.FromMinutes(90));

        var result = await app.ReportAcceptedAsync(app.Record(plan, 1000, "late-but-in-time", TimeSpan.FromMinutes(40)), app.Record(plan, 2000, "after"));

        Assert.Equal(1000, result.GetProperty("bytes_accepted").GetInt64());
        var overage = Assert.Single(result.GetProperty("overage").EnumerateArray());
        Assert.Equal(("after", "expired"), (overage.GetProperty("id").GetString(), overage.GetProperty("reason").GetString()));
        Assert.Equal("expired", Assert.Single(result.GetProperty("stopped_plans").EnumerateArray()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Given_a_sandbox_plan_Then_its_usage_is_accounted_and_shows_only_in_the_sandbox()
    {
        var plan = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 2 }, "test");

        await app.ReportAcceptedAsync(app.Record(plan, 123_456));

        var sandbox = await Api.DataAsync(await _reseller.Sandbox().GetAsync("/sandbox/api/v1/usage/summary?period=today"));
        var live = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/usage/summary?period=today"));
        Assert.Equal(123_456, sandbox.GetProperty("total").GetProperty("bytes").GetInt64());
        Assert.Equal(0, live.GetProperty("total").GetProperty("bytes").GetInt64());
        Assert.Equal(123_456, (await Api.DataAsync(await _reseller.Sandbox().GetAsync($"/sandbox/api/v1/plans/{plan}")))
            .GetProperty("limits").GetProperty("bytes_used").GetInt64());
    }

    [Fact]
    public async Task Given_ten_thousand_records_larger_than_a_MiB_Then_they_are_accepted_in_one_request()
    {
        var plan = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 100 });
        var records = Enumerable.Range(0, 10_000)
            .Select(i => app.Record(plan, 1000, $"gateway-eu-west-1-session-{i:D8}-{new string('x', 40)}", TimeSpan.FromSeconds(i % 3600)))
            .ToArray();
        var body = JsonSerializer.Serialize(new { records });
        Assert.True(Encoding.UTF8.GetByteCount(body) > 1024 * 1024);

        var result = await app.ReportAcceptedAsync(records);

        Assert.Equal(10_000, result.GetProperty("stored").GetInt32());
        Assert.Equal(10_000_000, await Scalar("SELECT bytes_used FROM reseller.plans WHERE id = @p", plan));
        Assert.Equal(10_000, await Scalar("SELECT sum(records)::bigint FROM reseller.usage_hourly WHERE plan_id = @p", plan));
    }

    [Fact]
    public async Task Given_more_than_ten_thousand_records_or_none_Then_400_naming_records_and_nothing_is_stored()
    {
        var plan = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 100 });

        var tooMany = await app.ReportAsync([.. Enumerable.Range(0, 10_001).Select(_ => app.Record(plan, 1))]);
        var none = await app.ReportAsync();
        var missing = await app.CreateAdminClient().PostAsJsonAsync("/admin/usage", new { });

        await Api.ValidationErrorAsync(tooMany, "records");
        await Api.ValidationErrorAsync(none, "records");
        await Api.ValidationErrorAsync(missing, "records");
        Assert.Equal(0, await Scalar("SELECT count(*) FROM reseller.usage_records WHERE plan_id = @p", plan));
    }

    [Theory]
    [InlineData("""{"records":[{"plan_id":"PLAN","bytes":-1,"at":"2026-01-15T11:00:00Z"}]}""", "records[0].bytes")]
    [InlineData("""{"records":[{"plan_id":"PLAN","at":"2026-01-15T11:00:00Z"}]}""", "records[0].bytes")]
    [InlineData("""{"records":[{"plan_id":"PLAN","bytes":1}]}""", "records[0].at")]
    [InlineData("""{"records":[{"bytes":1,"at":"2026-01-15T11:00:00Z"}]}""", "records[0].plan_id")]
    [InlineData("""{"records":[{"plan_id":"PLAN","bytes":1,"at":"2026-01-15T11:00:00Z"},{"plan_id":"not-a-uuid","bytes":1,"at":"2026-01-15T11:00:00Z"}]}""", "records[1].plan_id")]
    [InlineData("""{"records":[{"plan_id":"PLAN","bytes":"lots","at":"2026-01-15T11:00:00Z"}]}""", "records[0].bytes")]
    [InlineData("""{"records":[{"plan_id":"PLAN","bytes":1,"at":"yesterday"}]}""", "records[0].at")]
    [InlineData("""{"records":[{"plan_id":"PLAN","bytes":1,"at":"2026-01-15T12:30:00Z"}]}""", "records[0].at")]
    [InlineData("""{"records":[{"plan_id":"PLAN","bytes":1,"at":"2026-01-15T11:00:00Z","id":""}]}""", "records[0].id")]
    [InlineData("""{"records":[{"plan_id":"PLAN","bytes":1,"at":"2026-01-15T11:00:00Z","byte":2}]}""", "records[0].byte")]
    [InlineData("""{"records":[null]}""", "records[0]")]
    [InlineData("""{"record":[]}""", "record")]
    public async Task Given_a_bad_record_Then_400_naming_it_and_nothing_of_the_batch_is_stored(string body, string field)
    {
        var plan = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 1 });
        app.Clock.Set(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));

        var response = await app.CreateAdminClient().PostAsync("/admin/usage", JsonHttp.RequestBody(body.Replace("PLAN", plan.ToString(), StringComparison.Ordinal)));

        await Api.ValidationErrorAsync(response, field);
        Assert.Equal(0, await Scalar("SELECT count(*) FROM reseller.usage_records WHERE plan_id = @p", plan));
    }

    [Fact]
    public async Task Given_a_batch_whose_last_write_fails_Then_nothing_of_it_is_stored_and_the_same_batch_later_is_stored_once()
    {
        // The usual batch sends its commit with its writes: a failing statement must still take the whole batch back.
        var plan = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 1 });
        object[] batch = [app.Record(plan, 1000, "fail-1"), app.Record(plan, 2000, "fail-2")];
        await app.Database.ScalarAsync<object>("""
            CREATE FUNCTION reseller.test_refuse_daily() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
            CREATE TRIGGER test_refuse_daily BEFORE INSERT ON reseller.usage_daily FOR EACH ROW EXECUTE FUNCTION reseller.test_refuse_daily();
            """);
        HttpResponseMessage failed;
        try
        {
            failed = await app.ReportAsync(batch);
        }
        finally
        {
            await app.Database.ScalarAsync<object>("DROP TRIGGER test_refuse_daily ON reseller.usage_daily; DROP FUNCTION reseller.test_refuse_daily();");
        }

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(0, await Scalar("SELECT count(*) FROM reseller.usage_records WHERE plan_id = @p", plan));
        Assert.Equal(0, await Scalar("SELECT bytes_used FROM reseller.plans WHERE id = @p", plan));
        Assert.Equal(0, await Scalar("SELECT count(*) FROM reseller.usage_hourly WHERE plan_id = @p", plan));

        var again = await app.ReportAcceptedAsync(batch);
        var more = await app.ReportAcceptedAsync(app.Record(plan, 500, "after-1"));

        Assert.Equal((2, 0), (again.GetProperty("stored").GetInt32(), again.GetProperty("duplicates").GetInt32()));
        Assert.Equal(1, more.GetProperty("stored").GetInt32());
        Assert.Equal(3500, await Scalar("SELECT bytes_used FROM reseller.plans WHERE id = @p", plan));
        Assert.Equal(3500, await Scalar("SELECT sum(bytes)::bigint FROM reseller.usage_daily WHERE reseller_id = (SELECT reseller_id FROM reseller.plans WHERE id = @p)", plan));
    }

    [Fact]
    public async Task Given_no_operator_key_Then_401_and_a_reseller_key_is_no_operator_key()
    {
        var anonymous = await app.CreateClient().PostAsJsonAsync("/admin/usage", new { records = Array.Empty<object>() });
        var reseller = await _reseller.Live().PostAsJsonAsync("/admin/usage", new { records = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, reseller.StatusCode);
    }

    private async Task<long> Scalar(string sql, Guid plan) => await app.Database.ScalarAsync<long>(sql, ("p", plan));
}
