using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Security;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

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

    // The plan's hours of today and the last 24 (up to now), and its daily rows of the 30 days: $1 the plan, $2 and $3
    // the hours, $4 and $5 the days. Run in one batch after the plan's read, which decides whether it is the owner's.
    private const string RollupsSql = """
        SELECT TRUE, "hour", bytes, overage_bytes, records
        FROM reseller.usage_hourly WHERE plan_id = $1 AND "hour" >= $2 AND "hour" <= $3
        UNION ALL
        SELECT FALSE, day, bytes, overage_bytes, records
        FROM reseller.usage_plan_daily WHERE plan_id = $1 AND day >= $4 AND day < $5
        """;

    public static async Task<ApiOk<Envelope<OverviewResponse>>> Handle(
        ResellerCaller caller, Guid planId, HttpContext http, PooledStatements statements, TimeProvider clock, IOptions<ResellerOptions> options,
        CancellationToken cancellationToken)
    {
        var read = await KeyedRead.TakeOrRunAsync(http, caller, statements, () => new OverviewRead(planId, clock.GetUtcNow()), cancellationToken);
        var plan = read.Plan ?? throw ReadPlans.NotFound(planId);
        var (now, thisHour, today, since) = (read.Now, read.ThisHour, read.Today, read.Since);
        long Hours(DateTimeOffset from) => read.Hours.Where(h => h.At >= from).Sum(h => h.Bytes);
        // Whole days before today from the daily rows, today up to now from the hours (as the hourly sums always were).
        long Days(DateTimeOffset from) => read.Days.Where(d => d.Key >= from && d.Key < today).Sum(d => d.Value.Bytes) + Hours(today);
        var daily = UsageBuckets.Points(TimeSpan.FromDays(1), since, today.AddDays(1), read.Days);
        var view = PlanResponse.From(plan, options.Value.ConnectionFor(plan.Product), now);
        return ApiResults.Ok(Envelope.Of(new OverviewResponse(
            plan.Id, view.Product, view.Status, view.Limits,
            plan.MaxBytes is { } max ? Math.Max(0, max - plan.BytesUsed) : null, PlanResponse.Gb(plan.BytesUsed),
            new PeriodTotals(Hours(thisHour), Hours(today), Hours(thisHour.AddHours(-23)), Days(today.AddDays(-6)), Days(since)),
            daily)));
    }

    /// <summary>The overview's read, which rides with the key lookup (<see cref="KeyedRead"/>), as of the request's arrival.</summary>
    public static KeyedRead? ReadFor(HttpContext http) =>
        KeyedReads.RouteId(http, "planId") is { } planId
            ? new OverviewRead(planId, http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow())
            : null;

    /// <summary>
    /// One round trip: the owner's plan (none when it has no such plan, and then its rollups are not used) and its rollups as of
    /// <paramref name="now"/>: the hours of today and of the last 24, and the days of the last 30.
    /// </summary>
    internal sealed class OverviewRead(Guid planId, DateTimeOffset now) : KeyedRead
    {
        public DateTimeOffset Now => now;

        public DateTimeOffset ThisHour { get; } = UsageIngest.Truncate(now, TimeSpan.TicksPerHour);

        public DateTimeOffset Today { get; } = UsageIngest.Truncate(now, TimeSpan.TicksPerDay);

        public DateTimeOffset Since => Today.AddDays(-29);

        public Plan? Plan { get; private set; }

        public List<(DateTimeOffset At, long Bytes)> Hours { get; } = [];

        public Dictionary<DateTimeOffset, (long Bytes, long Overage, long Records)> Days { get; } = [];

        public override IReadOnlyList<NpgsqlBatchCommand> Commands(ReadOwner owner)
        {
            var hoursFrom = ThisHour.AddHours(-23) < Today ? ThisHour.AddHours(-23) : Today;
            return
            [
                ReadPlans.Owned(owner, planId),
                new NpgsqlBatchCommand(RollupsSql)
                {
                    Parameters =
                    {
                        ReadPlans.Id(planId),
                        new NpgsqlParameter<DateTimeOffset> { TypedValue = hoursFrom, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                        new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                        new NpgsqlParameter<DateTimeOffset> { TypedValue = Since, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                        new NpgsqlParameter<DateTimeOffset> { TypedValue = Today.AddDays(1), NpgsqlDbType = NpgsqlDbType.TimestampTz },
                    },
                },
            ];
        }

        public override async Task ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(reader);
            Plan = await reader.ReadAsync(cancellationToken) ? ReadPlans.Read(reader, 0) : null;
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var at = reader.GetFieldValue<DateTimeOffset>(1);
                if (reader.GetBoolean(0))
                {
                    Hours.Add((at, reader.GetInt64(2)));
                }
                else
                {
                    Days.Add(at.ToUniversalTime(), (reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
                }
            }
        }
    }
}
