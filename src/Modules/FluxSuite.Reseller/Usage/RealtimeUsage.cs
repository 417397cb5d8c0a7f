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
/// <c>GET /usage/realtime?minutes=5</c>: each active plan's traffic in the last minutes (1–60, default 5), per
/// minute, from the per-minute rollups. Only plans that carried traffic in the window are listed, busiest first.
/// </summary>
internal static class RealtimeUsage
{
    public const int DefaultMinutes = 5;

    internal sealed record MinutePoint(
        [property: JsonPropertyName("minute")] DateTime Minute,
        [property: JsonPropertyName("bytes")] long Bytes);

    internal sealed record PlanTraffic(
        [property: JsonPropertyName("plan_id")] Guid PlanId,
        [property: JsonPropertyName("product")] string Product,
        [property: JsonPropertyName("bytes")] long Bytes,
        [property: JsonPropertyName("overage_bytes")] long OverageBytes,
        [property: JsonPropertyName("mbps")] decimal Mbps,
        [property: JsonPropertyName("last_seen_at")] DateTime LastSeenAt,
        [property: JsonPropertyName("series")] IReadOnlyList<MinutePoint> Series);

    internal sealed record Totals(
        [property: JsonPropertyName("plans")] int Plans,
        [property: JsonPropertyName("bytes")] long Bytes,
        [property: JsonPropertyName("mbps")] decimal Mbps);

    internal sealed record Response(
        [property: JsonPropertyName("window_minutes")] int WindowMinutes,
        [property: JsonPropertyName("from")] DateTime From,
        [property: JsonPropertyName("to")] DateTime To,
        [property: JsonPropertyName("plans")] IReadOnlyList<PlanTraffic> Plans,
        [property: JsonPropertyName("total")] Totals Total);

    public static async Task<ApiOk<Envelope<Response>>> Handle(
        ResellerCaller caller, ResellerDbContext db, TimeProvider clock, [FromQuery] int? minutes, CancellationToken cancellationToken)
    {
        var window = minutes ?? DefaultMinutes;
        var retention = (int)UsageIngest.MinuteRetention.TotalMinutes;
        if (window is < 1 || window > retention)
        {
            throw new ApiErrorException(ApiError.InvalidField("minutes", $"must be between 1 and {retention}."));
        }

        var now = clock.GetUtcNow();
        var from = UsageIngest.Truncate(now, TimeSpan.TicksPerMinute).AddMinutes(1 - window);
        var rows = await db.UsageMinutes.AsNoTracking()
            .Where(m => m.ResellerId == caller.ResellerId && m.Mode == caller.Mode && m.Minute >= from && m.Minute <= now)
            .Join(PlanQueries.Active(db.Plans.AsNoTracking(), now), m => m.PlanId, p => p.Id,
                (m, p) => new { m.PlanId, p.Product, m.Minute, m.Bytes, m.OverageBytes })
            .ToListAsync(cancellationToken);
        var seconds = (decimal)Math.Max(1, (now - from).TotalSeconds);
        var plans = rows.GroupBy(r => (r.PlanId, r.Product))
            .Select(g =>
            {
                var bytes = g.Sum(r => r.Bytes);
                var byMinute = g.ToDictionary(r => r.Minute.ToUniversalTime(), r => r.Bytes);
                var series = Enumerable.Range(0, window).Select(i => from.AddMinutes(i))
                    .Select(m => new MinutePoint(m.UtcDateTime, byMinute.GetValueOrDefault(m))).ToList();
                return new PlanTraffic(g.Key.PlanId, g.Key.Product.WireName(), bytes, g.Sum(r => r.OverageBytes), Mbps(bytes, seconds),
                    g.Where(r => r.Bytes > 0 || r.OverageBytes > 0).Select(r => r.Minute).DefaultIfEmpty(g.Max(r => r.Minute)).Max().UtcDateTime, series);
            })
            .OrderByDescending(p => p.Bytes).ThenBy(p => p.PlanId)
            .ToList();
        var total = plans.Sum(p => p.Bytes);
        return ApiResults.Ok(Envelope.Of(new Response(window, from.UtcDateTime, now.UtcDateTime, plans,
            new Totals(plans.Count, total, Mbps(total, seconds)))));
    }

    /// <summary>Average megabits per second over the window, to the kilobit.</summary>
    private static decimal Mbps(long bytes, decimal seconds) => Math.Round(bytes * 8m / seconds / 1_000_000m, 3);
}
