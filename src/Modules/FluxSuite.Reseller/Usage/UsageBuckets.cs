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

    // The owner's plan ($1 the plan, $2 the reseller, $3 the mode) with its buckets from $4 (inclusive) to $5
    // (exclusive) in one statement: no row when the owner has no such plan, one row with a null bucket when it has no
    // traffic then. Fixed texts, prepared once per connection (PooledStatements).
    private static readonly OwnedSql HourlySql = new(reseller => $"""
        SELECT p.product, h."hour", h.bytes, h.overage_bytes, h.records
        FROM reseller.plans p
        LEFT JOIN reseller.usage_hourly h ON h.plan_id = p.id AND h."hour" >= $4 AND h."hour" < $5
        WHERE p.id = $1 AND p.reseller_id = {reseller} AND p.mode = $3
        """, 2);

    // Days and weeks ($6 the date_trunc unit) from the daily rollup per plan: one row a day instead of 24.
    private static readonly OwnedSql DailySql = new(reseller => $"""
        SELECT p.product, d.bucket, d.bytes, d.overage_bytes, d.records
        FROM reseller.plans p
        LEFT JOIN LATERAL (
            SELECT date_trunc($6, u.day, 'UTC') AS bucket, sum(u.bytes)::bigint AS bytes,
                   sum(u.overage_bytes)::bigint AS overage_bytes, sum(u.records)::bigint AS records
            FROM reseller.usage_plan_daily u
            WHERE u.plan_id = p.id AND u.day >= $4 AND u.day < $5
            GROUP BY 1) d ON TRUE
        WHERE p.id = $1 AND p.reseller_id = {reseller} AND p.mode = $3
        """, 2);

    /// <summary>
    /// The owner's plan's product and its buckets of <paramref name="granularity"/> from <paramref name="start"/> (inclusive) to
    /// <paramref name="end"/> (exclusive) in one round trip; no product when the owner has no such plan.
    /// </summary>
    internal sealed class SeriesRead(Guid planId, Granularity granularity, DateTimeOffset start, DateTimeOffset end) : KeyedRead
    {
        private readonly Dictionary<DateTimeOffset, (long Bytes, long Overage, long Records)> _totals = [];

        public Granularity Granularity => granularity;

        public DateTimeOffset Start => start;

        public DateTimeOffset End => end;

        public Product? Product { get; private set; }

        /// <summary>Every bucket of the range, zeros included.</summary>
        public List<UsagePoint> Points() => UsageBuckets.Points(granularity.Step, start, end, _totals);

        public override IReadOnlyList<NpgsqlBatchCommand> Commands(ReadOwner owner)
        {
            ArgumentNullException.ThrowIfNull(owner);
            var from = new NpgsqlParameter<DateTimeOffset> { TypedValue = start, NpgsqlDbType = NpgsqlDbType.TimestampTz };
            var to = new NpgsqlParameter<DateTimeOffset> { TypedValue = end, NpgsqlDbType = NpgsqlDbType.TimestampTz };
            return granularity.Step == TimeSpan.FromHours(1)
                ? [HourlySql.Command(owner, ReadPlans.Id(planId), owner.Parameter(), owner.ModeParameter(), from, to)]
                : [DailySql.Command(owner, ReadPlans.Id(planId), owner.Parameter(), owner.ModeParameter(), from, to,
                    new NpgsqlParameter<string> { TypedValue = granularity.Unit, NpgsqlDbType = NpgsqlDbType.Text })];
        }

        public override async Task ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(reader);
            while (await reader.ReadAsync(cancellationToken))
            {
                Product ??= WireConverters.Product.ConvertFromProviderTyped(reader.GetString(0));
                if (!reader.IsDBNull(1))
                {
                    _totals.Add(reader.GetFieldValue<DateTimeOffset>(1).ToUniversalTime(), (reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
                }
            }
        }
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
