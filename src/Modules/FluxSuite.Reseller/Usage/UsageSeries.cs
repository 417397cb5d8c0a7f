using System.ComponentModel.DataAnnotations;
using System.Globalization;
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

/// <summary>One bucket of a plan's traffic series.</summary>
internal sealed record UsagePoint(
    [property: JsonPropertyName("timestamp")] DateTime Timestamp,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("gb")] decimal Gb,
    [property: JsonPropertyName("overage_bytes")] long OverageBytes,
    [property: JsonPropertyName("records")] long Records);

/// <summary>
/// A plan's traffic over time, read from the hourly rollups only (never the raw records):
/// <c>GET /usage/plans/{planId}?granularity=hourly|daily|weekly&amp;from=&amp;to=</c> (a series) and
/// <c>GET /plans/{planId}/usage</c> (an overview: limits, recent periods and the last 30 days).
/// Buckets are UTC: hours, days from midnight, ISO weeks from Monday; empty buckets are zeros.
/// </summary>
internal static class UsageSeries
{
    internal sealed record Granularity(string Name, string Unit, TimeSpan Step, int DefaultBuckets, int MaxBuckets);

    private static readonly Granularity[] Granularities =
    [
        new("hourly", "hour", TimeSpan.FromHours(1), 24, 24 * 31),
        new("daily", "day", TimeSpan.FromDays(1), 30, 366),
        new("weekly", "week", TimeSpan.FromDays(7), 12, 104),
    ];

    internal sealed record SeriesTotals(
        [property: JsonPropertyName("bytes")] long Bytes,
        [property: JsonPropertyName("gb")] decimal Gb,
        [property: JsonPropertyName("overage_bytes")] long OverageBytes,
        [property: JsonPropertyName("records")] long Records);

    internal sealed record SeriesResponse(
        [property: JsonPropertyName("plan_id")] Guid PlanId,
        [property: JsonPropertyName("product")] string Product,
        [property: JsonPropertyName("granularity"), AllowedValues("hourly", "daily", "weekly")] string Granularity,
        [property: JsonPropertyName("from")] DateTime From,
        [property: JsonPropertyName("to")] DateTime To,
        [property: JsonPropertyName("points")] IReadOnlyList<UsagePoint> Points,
        [property: JsonPropertyName("totals")] SeriesTotals Totals);

    internal sealed record PeriodTotals(
        [property: JsonPropertyName("last_hour")] long LastHour,
        [property: JsonPropertyName("today")] long Today,
        [property: JsonPropertyName("last_24_hours")] long Last24Hours,
        [property: JsonPropertyName("last_7_days")] long Last7Days,
        [property: JsonPropertyName("last_30_days")] long Last30Days);

    internal sealed record OverviewResponse(
        [property: JsonPropertyName("plan_id")] Guid PlanId,
        [property: JsonPropertyName("product")] string Product,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("limits")] PlanLimits Limits,
        [property: JsonPropertyName("bytes_remaining")] long? BytesRemaining,
        [property: JsonPropertyName("gb_used")] decimal GbUsed,
        [property: JsonPropertyName("periods")] PeriodTotals Periods,
        [property: JsonPropertyName("daily")] IReadOnlyList<UsagePoint> Daily);

    public static async Task<ApiOk<Envelope<SeriesResponse>>> Series(
        ResellerCaller caller, Guid planId, ResellerDbContext db, TimeProvider clock,
        [FromQuery] string? granularity, [FromQuery] string? from, [FromQuery] string? to, CancellationToken cancellationToken)
    {
        var g = Granularities.FirstOrDefault(x => x.Name == (granularity ?? "daily"))
                ?? throw new ApiErrorException(ApiError.InvalidField("granularity", "must be one of hourly, daily, weekly."));
        var errors = new FieldErrors();
        var fromAt = Timestamp(errors, "from", from);
        var toAt = Timestamp(errors, "to", to);
        errors.ThrowIfAny();
        var plan = await ReadPlans.OwnedAsync(db, caller, planId);
        var now = clock.GetUtcNow();
        var end = toAt is { } t ? BucketStart(g, t) + (BucketStart(g, t) == t ? TimeSpan.Zero : g.Step) : BucketStart(g, now) + g.Step;
        var start = fromAt is { } f ? BucketStart(g, f) : end - (g.Step * g.DefaultBuckets);
        if (start >= end)
        {
            throw new ApiErrorException(ApiError.InvalidField("from", "must be before to."));
        }

        if ((end - start).Ticks / g.Step.Ticks > g.MaxBuckets)
        {
            throw new ApiErrorException(ApiError.InvalidField("from",
                $"the range holds more than {g.MaxBuckets} {g.Name} buckets; narrow it or use a coarser granularity."));
        }

        var points = await BucketsAsync(db, plan.Id, g, start, end, cancellationToken);
        return ApiResults.Ok(Envelope.Of(new SeriesResponse(plan.Id, plan.Product.WireName(), g.Name, start.UtcDateTime, end.UtcDateTime, points,
            new SeriesTotals(points.Sum(p => p.Bytes), PlanResponse.Gb(points.Sum(p => p.Bytes)), points.Sum(p => p.OverageBytes), points.Sum(p => p.Records)))));
    }

    public static async Task<ApiOk<Envelope<OverviewResponse>>> Overview(
        ResellerCaller caller, Guid planId, ResellerDbContext db, TimeProvider clock, Microsoft.Extensions.Options.IOptions<ResellerOptions> options,
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
        var daily = await BucketsAsync(db, plan.Id, Granularities[1], since, today.AddDays(1), cancellationToken);
        var view = PlanResponse.From(plan, options.Value.ConnectionFor(plan.Product), now);
        return ApiResults.Ok(Envelope.Of(new OverviewResponse(
            plan.Id, view.Product, view.Status, view.Limits,
            plan.MaxBytes is { } max ? Math.Max(0, max - plan.BytesUsed) : null, PlanResponse.Gb(plan.BytesUsed),
            new PeriodTotals(Since(thisHour), Since(today), Since(thisHour.AddHours(-23)), Since(today.AddDays(-6)), Since(since)),
            daily)));
    }

    /// <summary>The buckets from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive), zeros included.</summary>
    private static async Task<List<UsagePoint>> BucketsAsync(
        ResellerDbContext db, Guid planId, Granularity g, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQuery<BucketRow>($"""
            SELECT date_trunc({g.Unit}, "hour", 'UTC') AS "Bucket", sum(bytes)::bigint AS "Bytes",
                   sum(overage_bytes)::bigint AS "Overage", sum(records)::bigint AS "Records"
            FROM reseller.usage_hourly
            WHERE plan_id = {planId} AND "hour" >= {start} AND "hour" < {end}
            GROUP BY 1
            """).ToDictionaryAsync(r => r.Bucket.ToUniversalTime(), cancellationToken);
        var points = new List<UsagePoint>();
        for (var at = start; at < end; at += g.Step)
        {
            var row = rows.GetValueOrDefault(at);
            points.Add(new UsagePoint(at.UtcDateTime, row?.Bytes ?? 0, PlanResponse.Gb(row?.Bytes ?? 0), row?.Overage ?? 0, row?.Records ?? 0));
        }

        return points;
    }

    private static DateTimeOffset BucketStart(Granularity g, DateTimeOffset at) => g.Name switch
    {
        "hourly" => UsageIngest.Truncate(at, TimeSpan.TicksPerHour),
        "daily" => UsageIngest.Truncate(at, TimeSpan.TicksPerDay),
        _ => UsageIngest.Truncate(at, TimeSpan.TicksPerDay).AddDays(-(((int)at.UtcDateTime.DayOfWeek + 6) % 7)),
    };

    /// <summary>An optional ISO 8601 date-time query value (without an offset: UTC).</summary>
    public static DateTimeOffset? Timestamp(FieldErrors errors, string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed.ToUniversalTime();
        }

        errors.Add(field, "must be an ISO 8601 date-time such as 2026-01-15T00:00:00Z.");
        return null;
    }

    private sealed record BucketRow(DateTimeOffset Bucket, long Bytes, long Overage, long Records);
}
