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

        var days = db.UsageDays.AsNoTracking().Where(d => d.ResellerId == caller.ResellerId && d.Mode == caller.Mode);
        var plans = db.Plans.AsNoTracking()
            .Where(p => p.ResellerId == caller.ResellerId && p.Mode == caller.Mode && p.Status != PlanStatus.Cancelled && p.CreatedAt <= now);
        var charges = db.Ledger.AsNoTracking()
            .Where(e => e.ResellerId == caller.ResellerId && e.Mode == caller.Mode && (e.Type == LedgerType.Purchase || e.Type == LedgerType.Extend));
        if (from is { } start)
        {
            days = days.Where(d => d.Day >= start);
            plans = plans.Where(p => p.ExpiresAt == null || p.ExpiresAt > start);
            charges = charges.Where(e => e.CreatedAt >= start);
        }

        var traffic = await days.GroupBy(d => d.Product)
            .Select(g => new { Product = g.Key, Bytes = g.Sum(d => d.Bytes), Overage = g.Sum(d => d.OverageBytes) })
            .ToDictionaryAsync(t => t.Product, cancellationToken);
        var planCounts = await plans.GroupBy(p => p.Product).Select(g => new { Product = g.Key, Count = g.Count() })
            .ToDictionaryAsync(p => p.Product, p => p.Count, cancellationToken);
        var spend = await charges.Join(db.Plans, e => e.PlanId, p => (Guid?)p.Id, (e, p) => new { p.Product, e.AmountCents })
            .GroupBy(x => x.Product).Select(g => new { Product = g.Key, Cents = -g.Sum(x => x.AmountCents) })
            .ToDictionaryAsync(s => s.Product, s => s.Cents, cancellationToken);

        var products = Products.All.ToDictionary(p => p.WireName(), p =>
        {
            var t = traffic.GetValueOrDefault(p);
            return Totals.Of(t?.Bytes ?? 0, t?.Overage ?? 0, planCounts.GetValueOrDefault(p), spend.GetValueOrDefault(p));
        });
        var total = Totals.Of(products.Values.Sum(t => t.Bytes), products.Values.Sum(t => t.OverageBytes),
            products.Values.Sum(t => t.Plans), products.Values.Sum(t => t.SpendCents));
        return ApiResults.Ok(Envelope.Of(new Response(period, from?.UtcDateTime, now.UtcDateTime, products, total)));
    }
}
