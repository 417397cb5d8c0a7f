using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.BuildingBlocks.Security;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Usage;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FluxSuite.Reseller.Tests;

/// <summary>
/// The reseller reads that run as fixed statements (the key lookup, a plan, the usage summary, series and overview) are
/// prepared when the pool's sessions are its own and run unprepared when <c>ConnectionStrings:Direct</c> says that
/// <c>Default</c> goes through a pooler: two hosts on one database, one of each, answer every read the same, also
/// once PostgreSQL has run a prepared statement often enough to plan it generically.
/// </summary>
[Collection(ResellerCollection.Name)]
public sealed partial class PreparedReadsTests(ResellerApp app) : IAsyncLifetime
{
    /// <summary>PostgreSQL plans a prepared statement for its values five times, then may plan it once for any values.</summary>
    private const int Rounds = 7;

    private static readonly DateTimeOffset Now = new(2026, 1, 14, 12, 30, 0, TimeSpan.Zero);

    private FluxSuiteFactory _unprepared = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        app.Clock.Set(Now);
        _unprepared = app.CreateHostBehindPooler();
    }

    public async ValueTask DisposeAsync() => await _unprepared.DisposeAsync();

    [Fact]
    public async Task Given_a_host_that_prepares_and_one_behind_a_pooler_Then_the_plan_and_usage_reads_answer_the_same()
    {
        Assert.True(app.Factory.Services.GetRequiredService<PooledStatements>().Prepared);
        Assert.False(_unprepared.Services.GetRequiredService<PooledStatements>().Prepared);
        var reseller = await app.CreateFundedResellerAsync(10_000_000);
        var other = await app.CreateFundedResellerAsync(10_000_000);
        var theirs = await app.BuyAsync(other, new { product = "residential", bandwidth_gb = 5 });
        var paths = new List<(string Mode, string Path)>();
        foreach (var mode in new[] { "live", "test" })
        {
            var residential = await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 20, end_user_reference = "customer-7" }, mode);
            var mobile = await app.BuyAsync(reseller, new { product = "mobile", bandwidth_gb = 10 }, mode);
            var unlimited = await app.BuyAsync(reseller, new { product = "unlimited_residential", duration = "1_day", bandwidth_mbps = 200 }, mode);
            await app.ReportAcceptedAsync(
                new { plan_id = residential, bytes = 1 * Gb, at = Now.AddMinutes(-10) },
                new { plan_id = residential, bytes = 2 * Gb, at = Now.AddDays(-2) },
                new { plan_id = mobile, bytes = 11 * Gb, at = Now.AddDays(-5) },
                new { plan_id = residential, bytes = 3 * Gb, at = Now.AddDays(-20) });
            var @base = TestReseller.Base(mode);
            foreach (var plan in new[] { residential, mobile, unlimited, theirs, Guid.NewGuid() })
            {
                paths.Add((mode, $"{@base}/plans/{plan}"));
                paths.Add((mode, $"{@base}/plans/{plan}/usage"));
                paths.Add((mode, $"{@base}/usage/plans/{plan}?granularity=hourly"));
                paths.Add((mode, $"{@base}/usage/plans/{plan}?granularity=daily"));
                paths.Add((mode, $"{@base}/usage/plans/{plan}?granularity=weekly&from=2025-12-01T00:00:00Z&to=2026-01-14T00:00:00Z"));
                paths.Add((mode, $"{@base}/usage/plans/{plan}?from=2026-01-12T00:00:00Z&to=2026-01-10T00:00:00Z"));
            }

            foreach (var period in new[] { "today", "week", "month", "all" })
            {
                paths.Add((mode, $"{@base}/usage/summary?period={period}"));
            }
        }

        // The key lookup is one of the statements; the other reseller's key finds nothing for either host.
        var answers = new Dictionary<string, string>();
        for (var round = 0; round < Rounds; round++)
        {
            // Fresh keys each round: every request counts against its key's 100 a minute.
            var keys = new Dictionary<string, string> { ["live"] = await NewKeyAsync(reseller.Id, "live"), ["test"] = await NewKeyAsync(reseller.Id, "test") };
            foreach (var (mode, path) in paths)
            {
                var prepared = await ReadAsync(app.Factory, keys[mode], path);
                var unprepared = await ReadAsync(_unprepared, keys[mode], path);

                Assert.Equal(unprepared, prepared);
                Assert.Equal(answers.GetValueOrDefault(path, prepared), prepared);
                answers[path] = prepared;
            }
        }

        Assert.Contains(answers.Values, a => a.StartsWith("200 ", StringComparison.Ordinal) && a.Contains("\"bytes\":3000000000", StringComparison.Ordinal));
        Assert.Contains(answers.Values, a => a.StartsWith("404 ", StringComparison.Ordinal));
        Assert.Contains(answers.Values, a => a.StartsWith("400 ", StringComparison.Ordinal));
    }

    private async Task<string> NewKeyAsync(Guid reseller, string mode)
    {
        var response = await app.CreateAdminClient().PostAsJsonAsync($"/admin/resellers/{reseller}/keys", new { mode });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Api.DataAsync(response)).GetProperty("key").GetString()!;
    }

    /// <summary>The status and body of a read; an error's trace id, which differs per request, left out.</summary>
    [Fact]
    public async Task Given_the_usage_summary_read_again_and_again_Then_its_statement_runs_on_the_generic_plan_and_the_session_keeps_its_setting()
    {
        var reseller = await app.CreateFundedResellerAsync(10_000_000);
        await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 20 });
        var builder = new NpgsqlConnectionStringBuilder(app.Database.ConnectionString) { MaxPoolSize = 1 };
        PoolSessions.UseOwnSessions(builder, app.Database.ConnectionString);
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        var statements = new PooledStatements(dataSource, new PooledSessions(true));
        var owner = ReadOwner.ByKey(KeyHash.Sha256Hex(reseller.LiveKey), Mode.Live);
        var spend = new List<long>();
        for (var round = 0; round < 2 * Rounds; round++)
        {
            var period = UsageSummary.Periods[round % UsageSummary.Periods.Count];
            var read = new UsageSummary.SummaryRead(period, UsageSummary.Start(period, Now).Start!.Value, Now);
            await read.RunAsync(statements, owner, TestContext.Current.CancellationToken);
            spend.Add(read.Spend.GetValueOrDefault("residential"));
        }

        // The pool's one connection: every execution of the summary used its generic plan, and the setting is back.
        await using var connection = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var plans = new NpgsqlCommand(
            "SELECT generic_plans, custom_plans, current_setting('plan_cache_mode') FROM pg_prepared_statements WHERE statement LIKE '%''spend''%'",
            connection);
        await using var reader = await plans.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal((2L * Rounds, 0L, "auto"), (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
        Assert.All(spend, s => Assert.Equal(20 * 300, s));
    }

    private static async Task<string> ReadAsync(FluxSuiteFactory host, string key, string path)
    {
        var response = await host.CreateBearerClient(key).GetAsync(path);
        var body = TraceId().Replace(await response.Content.ReadAsStringAsync(), "\"trace_id\":\"\"");
        return $"{(int)response.StatusCode} {body}";
    }

    [GeneratedRegex("\"trace_id\":\"[^\"]*\"")]
    private static partial Regex TraceId();
}
