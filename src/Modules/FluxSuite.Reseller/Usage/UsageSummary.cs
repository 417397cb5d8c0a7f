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
    // extensions and upgrades charged in it. $1 the reseller, $2 the mode, $3 the period's start, $4 now. A fixed text,
    // prepared once per connection (PooledStatements).
    // The plans that ran: not cancelled, created by now, not expired before the start. plan_counts keeps the plans that
    // are not cancelled per expiry rounded up to a UTC midnight (ends_by); the start is a UTC midnight or -infinity, so
    // "expires_at > start" is "ends_by > start" and the count is the sum of a handful of rows. Plans created after now
    // (only a clock behind the one that bought them sees any) are taken off from plan_periods' created_at index, an
    // empty range otherwise.
    private const string SummarySql = $"""
        SELECT 'traffic' AS kind, d.product, sum(d.bytes)::bigint AS a, sum(d.overage_bytes)::bigint AS b
        FROM reseller.usage_daily d
        WHERE d.reseller_id = $1 AND d.mode = $2 AND d.day >= $3
        GROUP BY d.product
        UNION ALL
        SELECT 'plans', n.product, sum(n.plans)::bigint, 0
        FROM (SELECT c.product, c.plans
              FROM reseller.plan_counts c
              WHERE c.reseller_id = $1 AND c.mode = $2 AND c.ends_by > $3
              UNION ALL
              SELECT p.product, -1
              FROM reseller.plan_periods p
              WHERE p.reseller_id = $1 AND p.mode = $2 AND p.created_at > $4 AND p.status <> '{PlanStatus.Cancelled}'
                AND (p.expires_at IS NULL OR p.expires_at > $3)) n
        GROUP BY n.product
        UNION ALL
        SELECT 'spend', p.product, -sum(e.amount_cents)::bigint, 0
        FROM reseller.ledger_entries e JOIN reseller.plans p ON p.id = e.plan_id
        WHERE e.reseller_id = $1 AND e.mode = $2 AND e.type IN ('{LedgerType.Purchase}', '{LedgerType.Extend}')
          AND e.created_at >= $3
        GROUP BY p.product
        """;

    public static async Task<ApiOk<Envelope<Response>>> Handle(
        ResellerCaller caller, PooledStatements statements, TimeProvider clock, [FromQuery] string? period, CancellationToken cancellationToken)
    {
        period ??= "month";
        var now = clock.GetUtcNow();
        DateTimeOffset? from = period switch
        {
            "today" => UsageIngest.Truncate(now, TimeSpan.TicksPerDay),
            "week" => UsageIngest.Truncate(now, TimeSpan.TicksPerDay).AddDays(-(((int)now.DayOfWeek + 6) % 7)),
            "month" => new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero),
            "all" => null,
            _ => throw new ApiErrorException(ApiError.InvalidField("period", "must be one of today, week, month, all.")),
        };

        // "all" has no start: every timestamp is at or after the year 1.
        var start = from ?? DateTimeOffset.MinValue;
        var traffic = new Dictionary<string, (long Bytes, long Overage)>(StringComparer.Ordinal);
        var planCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var spend = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await statements.ExecuteReaderAsync(SummarySql,
        [
            new NpgsqlParameter<Guid> { TypedValue = caller.ResellerId, NpgsqlDbType = NpgsqlDbType.Uuid },
            new NpgsqlParameter<string> { TypedValue = caller.Mode.WireName(), NpgsqlDbType = NpgsqlDbType.Varchar },
            new NpgsqlParameter<DateTimeOffset> { TypedValue = start, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz },
        ], cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var product = reader.GetString(1);
                var a = reader.GetInt64(2);
                switch (reader.GetString(0))
                {
                    case "traffic":
                        traffic.Add(product, (a, reader.GetInt64(3)));
                        break;
                    case "plans":
                        planCounts.Add(product, (int)a);
                        break;
                    default:
                        spend.Add(product, a);
                        break;
                }
            }
        }

        var products = Products.All.ToDictionary(p => p.WireName(), p =>
        {
            var t = traffic.GetValueOrDefault(p.WireName());
            return Totals.Of(t.Bytes, t.Overage, planCounts.GetValueOrDefault(p.WireName()), spend.GetValueOrDefault(p.WireName()));
        });
        var total = Totals.Of(products.Values.Sum(t => t.Bytes), products.Values.Sum(t => t.OverageBytes),
            products.Values.Sum(t => t.Plans), products.Values.Sum(t => t.SpendCents));
        return ApiResults.Ok(Envelope.Of(new Response(period, from?.UtcDateTime, now.UtcDateTime, products, total)));
    }
}
