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
/// the hourly and daily per-plan rollups only. Days are UTC, from midnight; empty days are zeros.
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
        var hoursFrom = thisHour.AddHours(-23) < today ? thisHour.AddHours(-23) : today;
        // One round trip: the hours of today and the last 24 (up to now), and the plan's daily rows of the 30 days.
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT TRUE AS "Hourly", "hour" AS "At", bytes AS "Bytes", overage_bytes AS "Overage", records AS "Records"
            FROM reseller.usage_hourly WHERE plan_id = {plan.Id} AND "hour" >= {hoursFrom} AND "hour" <= {now}
            UNION ALL
            SELECT FALSE, day, bytes, overage_bytes, records
            FROM reseller.usage_plan_daily WHERE plan_id = {plan.Id} AND day >= {since} AND day < {today.AddDays(1)}
            """).ToListAsync(cancellationToken);
        var hours = rows.Where(r => r.Hourly).ToList();
        var days = rows.Where(r => !r.Hourly).ToDictionary(r => r.At.ToUniversalTime(), r => (r.Bytes, r.Overage, r.Records));
        long Hours(DateTimeOffset from) => hours.Where(h => h.At >= from).Sum(h => h.Bytes);
        // Whole days before today from the daily rows, today up to now from the hours (as the hourly sums always were).
        long Days(DateTimeOffset from) => days.Where(d => d.Key >= from && d.Key < today).Sum(d => d.Value.Bytes) + Hours(today);
        var daily = UsageBuckets.Points(TimeSpan.FromDays(1), since, today.AddDays(1), days);
        var view = PlanResponse.From(plan, options.Value.ConnectionFor(plan.Product), now);
        return ApiResults.Ok(Envelope.Of(new OverviewResponse(
            plan.Id, view.Product, view.Status, view.Limits,
            plan.MaxBytes is { } max ? Math.Max(0, max - plan.BytesUsed) : null, PlanResponse.Gb(plan.BytesUsed),
            new PeriodTotals(Hours(thisHour), Hours(today), Hours(thisHour.AddHours(-23)), Days(today.AddDays(-6)), Days(since)),
            daily)));
    }

    private sealed record Row(bool Hourly, DateTimeOffset At, long Bytes, long Overage, long Records);
}
