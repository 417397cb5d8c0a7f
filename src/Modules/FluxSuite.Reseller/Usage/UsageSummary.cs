using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Security;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using NpgsqlTypes;

namespace FluxSuite.Reseller.Usage;

/// <summary>
/// <c>GET /usage/summary?period=today|week|month|all</c>: per product and overall, the traffic of the period
/// (from the daily rollups), the plans that ran in it and what was spent on plans in it. Periods are UTC
/// calendar periods up to now: today from midnight, week from Monday, month from the 1st.
/// </summary>
internal static class UsageSummary
{
    public static IReadOnlyList<string> Periods { get; } = ["today", "week", "month", "all"];

    internal sealed record Totals(
        [property: JsonPropertyName("bytes")] long Bytes,
        [property: JsonPropertyName("gb")] decimal Gb,
        [property: JsonPropertyName("overage_bytes")] long OverageBytes,
        [property: JsonPropertyName("plans")] int Plans,
        [property: JsonPropertyName("spend_cents")] long SpendCents,
        [property: JsonPropertyName("spend_formatted")] string SpendFormatted)
    {
        public static Totals Of(long bytes, long overage, int plans, long spend) =>
            new(bytes, PlanResponse.Gb(bytes), overage, plans, spend, Money.Format(spend));
    }

    internal sealed record Response(
        [property: JsonPropertyName("period"), AllowedValues("today", "week", "month", "all")] string Period,
        [property: JsonPropertyName("from")] DateTime? From,
        [property: JsonPropertyName("to")] DateTime To,
        [property: JsonPropertyName("products")] IReadOnlyDictionary<string, Totals> Products,
        [property: JsonPropertyName("total")] Totals Total);

    // One round trip: the period's traffic per product (daily rollups), the plans that ran in it and the purchases,
    // extensions and upgrades charged in it. $1 the reseller ({reseller}: ReadOwner), $2 the mode, $3 the period's start,
    // $4 now. Fixed texts, prepared once per connection (PooledStatements).
    // The plans that ran: not cancelled, created by now, not expired before the start. plan_counts keeps the plans that
    // are not cancelled per expiry rounded up to a UTC midnight (ends_by); the start is a UTC midnight or -infinity, so
    // "expires_at > start" is "ends_by > start" and the count is the sum of a handful of rows. Plans created after now
    // (only a clock behind the one that bought them sees any) are taken off from the plans' (reseller_id, mode, created_at)
    // index, an empty range otherwise.
    // The spend is read from the ledger's (reseller, mode, time) index alone, which carries each entry's type, amount and
    // product (migration RecordLedgerEntryProducts): one index tuple per purchase or extension of the period, no plan
    // looked up (with the reseller read from the key's hash the planner never knows which reseller it is, so a join with
    // the plans was planned from the resellers' average and hashed every plan of every reseller).
    private static readonly OwnedSql SummarySql = new(reseller => $"""
        SELECT 'traffic' AS kind, d.product, sum(d.bytes)::bigint AS a, sum(d.overage_bytes)::bigint AS b
        FROM reseller.usage_daily d
        WHERE d.reseller_id = {reseller} AND d.mode = $2 AND d.day >= $3
        GROUP BY d.product
        UNION ALL
        SELECT 'plans', n.product, sum(n.plans)::bigint, 0
        FROM (SELECT c.product, c.plans
              FROM reseller.plan_counts c
              WHERE c.reseller_id = {reseller} AND c.mode = $2 AND c.ends_by > $3
              UNION ALL
              SELECT p.product, -1
              FROM reseller.plans p
              WHERE p.reseller_id = {reseller} AND p.mode = $2 AND p.created_at > $4 AND p.status <> '{PlanStatus.Cancelled}'
                AND (p.expires_at IS NULL OR p.expires_at > $3)) n
        GROUP BY n.product
        UNION ALL
        SELECT 'spend', e.product, -sum(e.amount_cents)::bigint, 0
        FROM reseller.ledger_entries e
        WHERE e.reseller_id = {reseller} AND e.mode = $2 AND e.type IN ('{LedgerType.Purchase}', '{LedgerType.Extend}')
          AND e.created_at >= $3 AND e.product IS NOT NULL
        GROUP BY e.product
        """, 1);

    public static async Task<ApiOk<Envelope<Response>>> Handle(
        ResellerCaller caller, HttpContext http, PooledStatements statements, TimeProvider clock, [FromQuery] string? period,
        CancellationToken cancellationToken)
    {
        var read = KeyedRead.Take<SummaryRead>(http);
        if (read is null)
        {
            var now = clock.GetUtcNow();
            var (start, error) = Start(period ??= "month", now);
            read = new SummaryRead(period, start ?? throw new ApiErrorException(error!), now);
            await read.RunAsync(statements, ReadOwner.Of(caller), cancellationToken);
        }

        var products = Products.All.ToDictionary(p => p.WireName(), p =>
        {
            var t = read.Traffic.GetValueOrDefault(p.WireName());
            return Totals.Of(t.Bytes, t.Overage, read.Plans.GetValueOrDefault(p.WireName()), read.Spend.GetValueOrDefault(p.WireName()));
        });
        var total = Totals.Of(products.Values.Sum(t => t.Bytes), products.Values.Sum(t => t.OverageBytes),
            products.Values.Sum(t => t.Plans), products.Values.Sum(t => t.SpendCents));
        return ApiResults.Ok(Envelope.Of(new Response(read.Period, read.From?.UtcDateTime, read.Now.UtcDateTime, products, total)));
    }

    /// <summary>
    /// The summary's read, which rides with the key lookup (<see cref="KeyedRead"/>), as of the request's arrival; none for a
    /// period that is not one (the handler answers it).
    /// </summary>
    public static KeyedRead? ReadFor(HttpContext http)
    {
        var period = (string?)http.Request.Query["period"] ?? "month";
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        return Start(period, now).Start is { } start ? new SummaryRead(period, start, now) : null;
    }

    /// <summary>
    /// Where <paramref name="period"/> starts as of <paramref name="now"/> (UTC calendar periods; "all" starts before every
    /// timestamp, <see cref="DateTimeOffset.MinValue"/>), or the 400 that refuses it.
    /// </summary>
    internal static (DateTimeOffset? Start, ApiError? Error) Start(string period, DateTimeOffset now) => period switch
    {
        "today" => (UsageIngest.Truncate(now, TimeSpan.TicksPerDay), null),
        "week" => (UsageIngest.Truncate(now, TimeSpan.TicksPerDay).AddDays(-(((int)now.DayOfWeek + 6) % 7)), null),
        "month" => (new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero), null),
        "all" => (DateTimeOffset.MinValue, null),
        _ => (null, ApiError.InvalidField("period", "must be one of today, week, month, all.")),
    };

    /// <summary>The owner's traffic, plans and spend per product in <paramref name="period"/> (from <paramref name="start"/> to <paramref name="now"/>), in one round trip.</summary>
    internal sealed class SummaryRead(string period, DateTimeOffset start, DateTimeOffset now) : KeyedRead
    {
        public string Period => period;

        /// <summary>The period's start; none for "all".</summary>
        public DateTimeOffset? From => start == DateTimeOffset.MinValue ? null : start;

        public DateTimeOffset Now => now;

        public Dictionary<string, (long Bytes, long Overage)> Traffic { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> Plans { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> Spend { get; } = new(StringComparer.Ordinal);

        public override IReadOnlyList<NpgsqlBatchCommand> Commands(ReadOwner owner)
        {
            ArgumentNullException.ThrowIfNull(owner);
            // On its generic plan: planned for its values, PostgreSQL always found that plan cheaper (the period's start and
            // now are the only values it sees) and planned the statement again on every request, 0.29 ms of its 0.40.
            return PooledStatements.OnGenericPlan(
                SummarySql.Command(owner, owner.Parameter(), owner.ModeParameter(),
                    new NpgsqlParameter<DateTimeOffset> { TypedValue = start, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                    new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz }));
        }

        public override async Task ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(reader);
            while (await reader.ReadAsync(cancellationToken))
            {
                var product = reader.GetString(1);
                var a = reader.GetInt64(2);
                switch (reader.GetString(0))
                {
                    case "traffic":
                        Traffic.Add(product, (a, reader.GetInt64(3)));
                        break;
                    case "plans":
                        Plans.Add(product, (int)a);
                        break;
                    default:
                        Spend.Add(product, a);
                        break;
                }
            }
        }
    }
}
