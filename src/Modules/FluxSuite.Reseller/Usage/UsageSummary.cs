using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

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

    public static async Task<ApiOk<Envelope<Response>>> Handle(
        ResellerCaller caller, ResellerDbContext db, TimeProvider clock, [FromQuery] string? period, CancellationToken cancellationToken)
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

        // One round trip: the period's traffic per product (daily rollups), the plans that ran in it (plan_periods, a
        // narrow copy of the plans that the usage reports do not touch) and the purchases, extensions and upgrades charged in it. "all" has no start: every timestamp is at or after the year 1.
        var start = from ?? DateTimeOffset.MinValue;
        var mode = caller.Mode.WireName();
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT 'traffic' AS "Kind", d.product AS "Product", sum(d.bytes)::bigint AS "A", sum(d.overage_bytes)::bigint AS "B"
            FROM reseller.usage_daily d
            WHERE d.reseller_id = {caller.ResellerId} AND d.mode = {mode} AND d.day >= {start}
            GROUP BY d.product
            UNION ALL
            SELECT 'plans', p.product, count(*), 0
            FROM reseller.plan_periods p
            WHERE p.reseller_id = {caller.ResellerId} AND p.mode = {mode} AND p.status <> {PlanStatus.Cancelled} AND p.created_at <= {now}
              AND (p.expires_at IS NULL OR p.expires_at > {start})
            GROUP BY p.product
            UNION ALL
            SELECT 'spend', p.product, -sum(e.amount_cents)::bigint, 0
            FROM reseller.ledger_entries e JOIN reseller.plans p ON p.id = e.plan_id
            WHERE e.reseller_id = {caller.ResellerId} AND e.mode = {mode} AND e.type IN ({LedgerType.Purchase}, {LedgerType.Extend})
              AND e.created_at >= {start}
            GROUP BY p.product
            """).ToListAsync(cancellationToken);
        var traffic = rows.Where(r => r.Kind == "traffic").ToDictionary(r => r.Product);
        var planCounts = rows.Where(r => r.Kind == "plans").ToDictionary(r => r.Product, r => (int)r.A);
        var spend = rows.Where(r => r.Kind == "spend").ToDictionary(r => r.Product, r => r.A);

        var products = Products.All.ToDictionary(p => p.WireName(), p =>
        {
            var t = traffic.GetValueOrDefault(p.WireName());
            return Totals.Of(t?.A ?? 0, t?.B ?? 0, planCounts.GetValueOrDefault(p.WireName()), spend.GetValueOrDefault(p.WireName()));
        });
        var total = Totals.Of(products.Values.Sum(t => t.Bytes), products.Values.Sum(t => t.OverageBytes),
            products.Values.Sum(t => t.Plans), products.Values.Sum(t => t.SpendCents));
        return ApiResults.Ok(Envelope.Of(new Response(period, from?.UtcDateTime, now.UtcDateTime, products, total)));
    }

    private sealed record Row(string Kind, string Product, long A, long B);
}
