using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Usage;

/// <summary>
/// <c>GET /plans/{planId}/usage</c>: an overview of a plan's traffic (limits, recent periods and the last 30 days), read from
/// the hourly rollups only. Days are UTC, from midnight; empty days are zeros.
/// </summary>
internal static class GetPlanUsage
{
    [SchemaId("UsageSeriesPeriodTotals")]
    internal sealed record PeriodTotals(
        [property: JsonPropertyName("last_hour")] long LastHour,
        [property: JsonPropertyName("today")] long Today,
        [property: JsonPropertyName("last_24_hours")] long Last24Hours,
        [property: JsonPropertyName("last_7_days")] long Last7Days,
        [property: JsonPropertyName("last_30_days")] long Last30Days);

    [SchemaId("UsageSeriesOverviewResponse")]
    internal sealed record OverviewResponse(
        [property: JsonPropertyName("plan_id")] Guid PlanId,
        [property: JsonPropertyName("product")] string Product,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("limits")] PlanLimits Limits,
        [property: JsonPropertyName("bytes_remaining")] long? BytesRemaining,
        [property: JsonPropertyName("gb_used")] decimal GbUsed,
        [property: JsonPropertyName("periods")] PeriodTotals Periods,
        [property: JsonPropertyName("daily")] IReadOnlyList<UsagePoint> Daily);

    public static async Task<ApiOk<Envelope<OverviewResponse>>> Handle(
        ResellerCaller caller, Guid planId, ResellerDbContext db, TimeProvider clock, IOptions<ResellerOptions> options,
        CancellationToken cancellationToken)
    {
        var plan = await ReadPlans.OwnedAsync(db, caller, planId);
        var now = clock.GetUtcNow();
        var thisHour = UsageIngest.Truncate(now, TimeSpan.TicksPerHour);
        var today = UsageIngest.Truncate(now, TimeSpan.TicksPerDay);
        var since = today.AddDays(-29);
        var hours = await db.UsageHours.AsNoTracking()
            .Where(h => h.PlanId == plan.Id && h.Hour >= since && h.Hour <= now)
            .Select(h => new { h.Hour, h.Bytes })
            .ToListAsync(cancellationToken);
        long Since(DateTimeOffset at) => hours.Where(h => h.Hour >= at).Sum(h => h.Bytes);
        var daily = await UsageBuckets.BucketsAsync(db, plan.Id, UsageBuckets.Granularities[1], since, today.AddDays(1), cancellationToken);
        var view = PlanResponse.From(plan, options.Value.ConnectionFor(plan.Product), now);
        return ApiResults.Ok(Envelope.Of(new OverviewResponse(
            plan.Id, view.Product, view.Status, view.Limits,
            plan.MaxBytes is { } max ? Math.Max(0, max - plan.BytesUsed) : null, PlanResponse.Gb(plan.BytesUsed),
            new PeriodTotals(Since(thisHour), Since(today), Since(thisHour.AddHours(-23)), Since(today.AddDays(-6)), Since(since)),
            daily)));
    }
}
