using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.BuildingBlocks.Security;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Pricing;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Usage;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Reseller.Tests;

/// <summary>
/// The plan, overview, series and summary reads ride with the key lookup: one round trip per request, on a host that
/// prepares its statements and on one behind a pooler. Refusals (401, 403, 429, a malformed query) answer as on any other
/// route, and the read by the key's hash finds exactly what the read for the caller's reseller finds.
/// </summary>
[Collection(ResellerCollection.Name)]
public sealed class KeyedReadTests(ResellerApp app) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 11, 15, 20, 0, TimeSpan.Zero);

    private readonly DatabaseCommands _commands = new();
    private FluxSuiteFactory _pooler = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        app.Clock.Set(Now);
        _pooler = app.CreateHostBehindPooler();
    }

    public async ValueTask DisposeAsync()
    {
        _commands.Dispose();
        await _pooler.DisposeAsync();
    }

    [Fact]
    public async Task Given_the_plan_and_usage_reads_When_a_valid_key_asks_Then_each_is_one_round_trip_that_finds_the_key_and_reads()
    {
        var (reseller, plans, theirs) = await ResellerWithUsageAsync();
        foreach (var host in new[] { app.Factory, _pooler })
        {
            foreach (var mode in new[] { "live", "test" })
            {
                var client = host.CreateBearerClient(mode == "live" ? reseller.LiveKey : reseller.TestKey);
                // The key's first use is recorded on a round trip of its own, once.
                await client.GetAsync($"{TestReseller.Base(mode)}/balance");
                foreach (var (path, table) in Reads(mode, plans[mode]))
                {
                    var (response, commands) = await _commands.SendAsync(client, new HttpRequestMessage(HttpMethod.Get, path));

                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    var command = Assert.Single(commands);
                    Assert.Contains("reseller.reseller_keys", command, StringComparison.Ordinal);
                    Assert.Contains(table, command, StringComparison.Ordinal);
                }

                // Someone else's plan and no plan at all: 404 on the same one round trip.
                foreach (var plan in new[] { theirs, Guid.NewGuid() })
                {
                    foreach (var path in new[] { $"/plans/{plan}", $"/plans/{plan}/usage", $"/usage/plans/{plan}?granularity=hourly" })
                    {
                        var (response, commands) = await _commands.SendAsync(client, new HttpRequestMessage(HttpMethod.Get, TestReseller.Base(mode) + path));

                        var error = await Api.ErrorAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
                        Assert.Equal($"Plan {plan} not found.", error.GetProperty("message").GetString());
                        Assert.Single(commands);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Given_a_revoked_key_a_suspended_reseller_or_a_spent_window_Then_the_keyed_reads_refuse_as_every_route_does()
    {
        var (reseller, plans, _) = await ResellerWithUsageAsync();
        var admin = app.CreateAdminClient();
        var created = await Api.DataAsync(await admin.PostAsJsonAsync($"/admin/resellers/{reseller.Id}/keys", new { mode = "live" }));
        var revoked = app.Factory.CreateBearerClient(created.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/admin/resellers/{reseller.Id}/keys/{created.GetProperty("id").GetGuid()}")).StatusCode);
        var reads = Reads("live", plans["live"]).Select(r => r.Path).ToList();

        var unauthorized = await ErrorBodyAsync(revoked, "/api/v1/balance");
        foreach (var path in reads)
        {
            Assert.Equal(unauthorized, await ErrorBodyAsync(revoked, path));
        }

        Assert.Equal("suspended", (await Api.DataAsync(await admin.PutAsJsonAsync($"/admin/resellers/{reseller.Id}/status", new { status = "suspended" })))
            .GetProperty("status").GetString());
        var forbidden = await ErrorBodyAsync(reseller.Live(), "/api/v1/balance");
        Assert.StartsWith("403 ", forbidden, StringComparison.Ordinal);
        foreach (var path in reads)
        {
            Assert.Equal(forbidden, await ErrorBodyAsync(reseller.Live(), path));
        }

        await admin.PutAsJsonAsync($"/admin/resellers/{reseller.Id}/status", new { status = "active" });
        // A window of its own: the purchases and the refusals above counted too.
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var client = reseller.Live();
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(reads[i % reads.Count])).StatusCode);
        }

        foreach (var path in reads)
        {
            var response = await client.GetAsync(path);
            await Api.ErrorAsync(response, HttpStatusCode.TooManyRequests, "RATE_LIMITED");
            Assert.Equal("\"default\";r=0;t=60", Assert.Single(response.Headers.GetValues("RateLimit")));
        }
    }

    [Fact]
    public async Task Given_a_malformed_query_Then_it_is_the_400_it_was_and_someone_elses_plan_is_still_404_first()
    {
        var (reseller, plans, theirs) = await ResellerWithUsageAsync();
        var client = reseller.Live();
        var mine = plans["live"][0];

        Assert.Equal("period: must be one of today, week, month, all.",
            await Api.ValidationErrorAsync(await client.GetAsync("/api/v1/usage/summary?period=year"), "period"));
        Assert.Equal("granularity: must be one of hourly, daily, weekly.",
            await Api.ValidationErrorAsync(await client.GetAsync($"/api/v1/usage/plans/{mine}?granularity=yearly"), "granularity"));
        await Api.ValidationErrorAsync(await client.GetAsync($"/api/v1/usage/plans/{mine}?from=yesterday"), "from");
        Assert.Equal("from: must be before to.",
            await Api.ValidationErrorAsync(await client.GetAsync($"/api/v1/usage/plans/{mine}?from=2026-03-10T00:00:00Z&to=2026-03-01T00:00:00Z"), "from"));
        Assert.StartsWith("from: the range holds more than 744 hourly buckets",
            await Api.ValidationErrorAsync(await client.GetAsync($"/api/v1/usage/plans/{mine}?granularity=hourly&from=2026-01-01T00:00:00Z"), "from"),
            StringComparison.Ordinal);
        await Api.ErrorAsync(await client.GetAsync($"/api/v1/usage/plans/{theirs}?from=2026-03-10T00:00:00Z&to=2026-03-01T00:00:00Z"),
            HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Given_each_keyed_read_Then_by_the_keys_hash_it_finds_what_it_finds_for_the_resellers_id_in_either_mode()
    {
        var (reseller, plans, theirs) = await ResellerWithUsageAsync();
        var admin = app.CreateAdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/admin/resellers/{reseller.Id}/products/mobile", new { enabled = false })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/admin/resellers/{reseller.Id}/pricing", JsonHttp.RequestBody("""
            {"currency":"USD","products":{"residential":{"billing_type":"bandwidth","price_per_gb_cents":250},"dedicated_isp":{"price_per_ip_30_days":275}}}
            """))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await reseller.Live().PostAsJsonAsync("/api/v1/webhooks",
            new { url = "https://hooks.example.com/plans", events = new[] { "plan.created" } })).StatusCode);
        var statements = app.Factory.Services.GetRequiredService<PooledStatements>();
        var book = app.Factory.Services.GetRequiredService<PriceBook>();
        var hourly = UsageBuckets.Granularities[0];
        var daily = UsageBuckets.Granularities[1];
        var weekly = UsageBuckets.Granularities[2];
        var compared = 0;
        foreach (var (mode, key) in new[] { (Mode.Live, reseller.LiveKey), (Mode.Test, reseller.TestKey) })
        {
            var reads = new List<Func<KeyedRead>>();
            foreach (var plan in (Guid[])[.. plans[mode.WireName()], theirs, Guid.NewGuid()])
            {
                reads.Add(() => new GetPlan.PlanRead(plan));
                reads.Add(() => new GetPlanUsage.OverviewRead(plan, Now));
                reads.Add(() => new UsageBuckets.SeriesRead(plan, hourly, Now.AddHours(-30), Now.AddHours(1)));
                reads.Add(() => new UsageBuckets.SeriesRead(plan, daily, Now.AddDays(-40), Now.AddDays(1)));
                reads.Add(() => new UsageBuckets.SeriesRead(plan, weekly, Now.AddDays(-70), Now.AddDays(7)));
            }

            foreach (var (period, start) in new[] { ("today", Now.Date), ("month", new DateTime(2026, 3, 1)), ("all", DateTime.MinValue) })
            {
                reads.Add(() => new UsageSummary.SummaryRead(period, new DateTimeOffset(start, TimeSpan.Zero), Now));
            }

            reads.Add(() => new PurchaseAccount.Read(book));
            foreach (var create in reads)
            {
                var byId = create();
                await byId.RunAsync(statements, ReadOwner.Of(new ResellerCaller(reseller.Id, Guid.Empty, mode)), CancellationToken.None);
                var byKey = create();
                await byKey.RunAsync(statements, ReadOwner.ByKey(KeyHash.Sha256Hex(key), mode), CancellationToken.None);

                Assert.Equal(Json(byId), Json(byKey));
                compared++;
            }
        }

        Assert.Equal(2 * ((5 * 5) + 3 + 1), compared);
    }

    /// <summary>
    /// A reseller with a plan of three products in each mode and traffic on them over the last weeks, and a live plan of
    /// another reseller's.
    /// </summary>
    private async Task<(TestReseller Reseller, Dictionary<string, Guid[]> Plans, Guid Theirs)> ResellerWithUsageAsync()
    {
        var reseller = await app.CreateFundedResellerAsync(10_000_000);
        await app.TopUpAsync(reseller.Id, 10_000_000, "test");
        var plans = new Dictionary<string, Guid[]>();
        foreach (var mode in new[] { "live", "test" })
        {
            var residential = await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 20 }, mode);
            var mobile = await app.BuyAsync(reseller, new { product = "mobile", bandwidth_gb = 10 }, mode);
            var unlimited = await app.BuyAsync(reseller, new { product = "unlimited_residential", duration = "1_day", bandwidth_mbps = 200 }, mode);
            await app.ReportAcceptedAsync(
                new { plan_id = residential, bytes = 1 * Gb, at = Now.AddMinutes(-10) },
                new { plan_id = residential, bytes = 2 * Gb, at = Now.AddDays(-2) },
                new { plan_id = mobile, bytes = 3 * Gb, at = Now.AddDays(-9) });
            plans[mode] = [residential, mobile, unlimited];
        }

        var other = await app.CreateFundedResellerAsync(1_000_000);
        return (reseller, plans, await app.BuyAsync(other, new { product = "residential", bandwidth_gb = 1 }));
    }

    /// <summary>Every keyed read of <paramref name="mode"/>'s API for <paramref name="plans"/>, with a table its statement reads.</summary>
    private static IEnumerable<(string Path, string Table)> Reads(string mode, Guid[] plans)
    {
        var root = TestReseller.Base(mode);
        foreach (var plan in plans)
        {
            yield return ($"{root}/plans/{plan}", "reseller.plans");
            yield return ($"{root}/plans/{plan}/usage", "reseller.usage_plan_daily");
            yield return ($"{root}/usage/plans/{plan}?granularity=hourly", "reseller.usage_hourly");
            yield return ($"{root}/usage/plans/{plan}?granularity=daily", "reseller.usage_plan_daily");
            yield return ($"{root}/usage/plans/{plan}?granularity=weekly&from=2026-01-05T00:00:00Z&to=2026-03-16T00:00:00Z", "reseller.usage_plan_daily");
        }

        foreach (var period in new[] { "today", "week", "month", "all" })
        {
            yield return ($"{root}/usage/summary?period={period}", "reseller.plan_counts");
        }

        yield return ($"{root}/usage/summary", "reseller.plan_counts");
    }

    /// <summary>A refusal's status and body, its trace id (which differs per request) left out.</summary>
    private static async Task<string> ErrorBodyAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        return $"{(int)response.StatusCode} {error.GetProperty("code").GetString()} {error.GetProperty("message").GetString()}";
    }

    /// <summary>
    /// What a read found (a series' every bucket included), in a canonical form: the two statements may return rows in
    /// different orders, so objects' members and arrays' elements are sorted.
    /// </summary>
    private string Json(KeyedRead read)
    {
        var options = new JsonSerializerOptions { IncludeFields = true };
        var json = read switch
        {
            UsageBuckets.SeriesRead series => JsonSerializer.SerializeToNode(new { series.Product, Points = series.Points() }, options),
            PurchaseAccount.Read { Account: { } account } => JsonSerializer.SerializeToNode(new
            {
                account.BalanceCents, account.PlanCreatedEndpoints, account.DisabledProducts,
                Prices = app.Factory.Services.GetRequiredService<PriceBook>().Defaults.Keys.Select(k => account.Prices.Get(k.Item1, k.Item2)),
            }, options),
            _ => JsonSerializer.SerializeToNode(read, read.GetType(), options),
        };
        return Canonical(json)?.ToJsonString() ?? "null";
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value?.DeepClone())))),
        JsonArray a => new JsonArray([.. a.Select(e => Canonical(e?.DeepClone())).OrderBy(e => e?.ToJsonString(), StringComparer.Ordinal)]),
        _ => node?.DeepClone(),
    };
}
