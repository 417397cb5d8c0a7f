using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Security;
using Npgsql;
using NpgsqlTypes;

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

    // The caller's plan ($1 the plan, $2 the reseller, $3 the mode) with its buckets from $4 (inclusive) to $5
    // (exclusive) in one statement: no row when the caller has no such plan, one row with a null bucket when it has no
    // traffic then. Fixed texts, prepared once per connection (PooledStatements).
    private const string HourlySql = """
        SELECT p.product, h."hour", h.bytes, h.overage_bytes, h.records
        FROM reseller.plans p
        LEFT JOIN reseller.usage_hourly h ON h.plan_id = p.id AND h."hour" >= $4 AND h."hour" < $5
        WHERE p.id = $1 AND p.reseller_id = $2 AND p.mode = $3
        """;

    // Days and weeks ($6 the date_trunc unit) from the daily rollup per plan: one row a day instead of 24.
    private const string DailySql = """
        SELECT p.product, d.bucket, d.bytes, d.overage_bytes, d.records
        FROM reseller.plans p
        LEFT JOIN LATERAL (
            SELECT date_trunc($6, u.day, 'UTC') AS bucket, sum(u.bytes)::bigint AS bytes,
                   sum(u.overage_bytes)::bigint AS overage_bytes, sum(u.records)::bigint AS records
            FROM reseller.usage_plan_daily u
            WHERE u.plan_id = p.id AND u.day >= $4 AND u.day < $5
            GROUP BY 1) d ON TRUE
        WHERE p.id = $1 AND p.reseller_id = $2 AND p.mode = $3
        """;

    /// <summary>
    /// The caller's plan's product and its buckets from <paramref name="start"/> (inclusive) to <paramref name="end"/>
    /// (exclusive), zeros included, in one round trip; 404 when the caller has no such plan.
    /// </summary>
    public static async Task<(Product Product, List<UsagePoint> Points)> OwnedPlanBucketsAsync(
        PooledStatements statements, ResellerCaller caller, Guid planId, Granularity g, DateTimeOffset start, DateTimeOffset end,
        CancellationToken cancellationToken)
    {
        var hourly = g.Step == TimeSpan.FromHours(1);
        var owner = ReadPlans.OwnerParameters(caller, planId);
        var from = new NpgsqlParameter<DateTimeOffset> { TypedValue = start, NpgsqlDbType = NpgsqlDbType.TimestampTz };
        var to = new NpgsqlParameter<DateTimeOffset> { TypedValue = end, NpgsqlDbType = NpgsqlDbType.TimestampTz };
        NpgsqlParameter[] parameters = hourly
            ? [.. owner, from, to]
            : [.. owner, from, to, new NpgsqlParameter<string> { TypedValue = g.Unit, NpgsqlDbType = NpgsqlDbType.Text }];
        Product? product = null;
        var totals = new Dictionary<DateTimeOffset, (long Bytes, long Overage, long Records)>();
        await using (var reader = await statements.ExecuteReaderAsync(hourly ? HourlySql : DailySql, parameters, cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                product ??= WireConverters.Product.ConvertFromProviderTyped(reader.GetString(0));
                if (!reader.IsDBNull(1))
                {
                    totals.Add(reader.GetFieldValue<DateTimeOffset>(1).ToUniversalTime(), (reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
                }
            }
        }

        return product is { } found ? (found, Points(g.Step, start, end, totals)) : throw ReadPlans.NotFound(planId);
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
}
