using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Usage;

/// <summary>
/// A plan's traffic over time, read from the hourly and daily per-plan rollups only (never the raw records), as
/// <c>GET /usage/plans/{planId}</c> and <c>GET /plans/{planId}/usage</c> show it.
/// Buckets are UTC: hours, days from midnight, ISO weeks from Monday; empty buckets are zeros.
/// </summary>
internal static class UsageBuckets
{
    internal sealed record Granularity(string Name, string Unit, TimeSpan Step, int DefaultBuckets, int MaxBuckets);

    public static readonly Granularity[] Granularities =
    [
        new("hourly", "hour", TimeSpan.FromHours(1), 24, 24 * 31),
        new("daily", "day", TimeSpan.FromDays(1), 30, 366),
        new("weekly", "week", TimeSpan.FromDays(7), 12, 104),
    ];

    /// <summary>
    /// The buckets from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive), zeros included: hours
    /// from the hourly rollup, days and weeks from the daily rollup per plan (one row a day instead of 24).
    /// </summary>
    public static async Task<List<UsagePoint>> BucketsAsync(
        ResellerDbContext db, Guid planId, Granularity g, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var rows = g.Step == TimeSpan.FromHours(1)
            ? db.Database.SqlQuery<BucketRow>($"""
                SELECT "hour" AS "Bucket", bytes AS "Bytes", overage_bytes AS "Overage", records AS "Records"
                FROM reseller.usage_hourly
                WHERE plan_id = {planId} AND "hour" >= {start} AND "hour" < {end}
                """)
            : db.Database.SqlQuery<BucketRow>($"""
                SELECT date_trunc({g.Unit}, day, 'UTC') AS "Bucket", sum(bytes)::bigint AS "Bytes",
                       sum(overage_bytes)::bigint AS "Overage", sum(records)::bigint AS "Records"
                FROM reseller.usage_plan_daily
                WHERE plan_id = {planId} AND day >= {start} AND day < {end}
                GROUP BY 1
                """);
        var totals = await rows.ToDictionaryAsync(r => r.Bucket.ToUniversalTime(), r => (r.Bytes, r.Overage, r.Records), cancellationToken);
        return Points(g.Step, start, end, totals);
    }

    /// <summary>One point per step from <paramref name="start"/> to <paramref name="end"/>; a bucket without a total is zeros.</summary>
    public static List<UsagePoint> Points(
        TimeSpan step, DateTimeOffset start, DateTimeOffset end, Dictionary<DateTimeOffset, (long Bytes, long Overage, long Records)> totals)
    {
        var points = new List<UsagePoint>();
        for (var at = start; at < end; at += step)
        {
            var (bytes, overage, records) = totals.GetValueOrDefault(at);
            points.Add(new UsagePoint(at.UtcDateTime, bytes, PlanResponse.Gb(bytes), overage, records));
        }

        return points;
    }

    public static DateTimeOffset BucketStart(Granularity g, DateTimeOffset at) => g.Name switch
    {
        "hourly" => UsageIngest.Truncate(at, TimeSpan.TicksPerHour),
        "daily" => UsageIngest.Truncate(at, TimeSpan.TicksPerDay),
        _ => UsageIngest.Truncate(at, TimeSpan.TicksPerDay).AddDays(-(((int)at.UtcDateTime.DayOfWeek + 6) % 7)),
    };

    private sealed record BucketRow(DateTimeOffset Bucket, long Bytes, long Overage, long Records);
}
