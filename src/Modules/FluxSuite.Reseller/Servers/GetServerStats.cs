using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Upstream;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Servers;

/// <summary>
/// <c>GET /servers/{planId}/stats</c> (unlimited residential, dedicated mobile): from the moment the server was ready until
/// now (or the plan's expiry): time up and down (restarts), availability, rotations, and the traffic carried.
/// </summary>
internal static class GetServerStats
{
    [SchemaId("ServerEndpointsStatsResponse")]
    internal sealed record StatsResponse(
        [property: JsonPropertyName("plan_id")] Guid PlanId,
        [property: JsonPropertyName("product")] string Product,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("since")] DateTime Since,
        [property: JsonPropertyName("until")] DateTime Until,
        [property: JsonPropertyName("uptime_seconds")] long UptimeSeconds,
        [property: JsonPropertyName("downtime_seconds")] long DowntimeSeconds,
        [property: JsonPropertyName("availability_percent")] decimal AvailabilityPercent,
        [property: JsonPropertyName("restarts")] long Restarts,
        [property: JsonPropertyName("rotations")] long Rotations,
        [property: JsonPropertyName("current_ip")] string? CurrentIp,
        [property: JsonPropertyName("bytes_used")] long BytesUsed,
        [property: JsonPropertyName("gb_used")] decimal GbUsed,
        [property: JsonPropertyName("bytes_last_24_hours")] long BytesLast24Hours);

    public static async Task<ApiOk<Envelope<StatsResponse>>> Handle(
        ResellerCaller caller, Guid planId, ResellerDbContext db, UpstreamSelector upstreams, TimeProvider clock, CancellationToken cancellationToken)
    {
        var plan = await ReadPlans.OwnedAsync(db, caller, planId);
        ServerStates.RequireServerProduct(plan, "server statistics");
        var now = clock.GetUtcNow();
        var s = await ServerStates.LoadAsync(db, plan, upstreams, now, forUpdate: false, cancellationToken);
        var since = s.Server.ReadyAt;
        var until = plan.ExpiresAt is { } expires && expires < now ? expires : now;
        var counts = await EventTotalsAsync(db, plan.Id, since, until, cancellationToken);
        var span = until > since ? (long)(until - since).TotalSeconds : 0;
        var down = Math.Min(span, counts.Downtime);
        var dayAgo = now.AddHours(-24);
        var lastDay = await db.UsageHours.AsNoTracking().Where(h => h.PlanId == plan.Id && h.Hour >= UsageHourFloor(dayAgo))
            .SumAsync(h => (long?)h.Bytes, cancellationToken) ?? 0;
        return ApiResults.Ok(Envelope.Of(new StatsResponse(
            plan.Id, plan.Product.WireName(), s.Status, since.UtcDateTime, until.UtcDateTime, span - down, down,
            span == 0 ? 0 : Math.Round(100m * (span - down) / span, 3),
            counts.Restarts, counts.Rotations, s.Status is ServerState.Provisioning or ServerState.Offline ? null : s.CurrentIp,
            plan.BytesUsed, PlanResponse.Gb(plan.BytesUsed), lastDay)));
    }

    /// <summary>Restarts and rotations requested by <paramref name="until"/>, and the seconds of restart downtime within [since, until].</summary>
    public static async Task<EventTotals> EventTotalsAsync(ResellerDbContext db, Guid planId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<EventTotals>($"""
            SELECT count(*) FILTER (WHERE kind = 'restart') AS "Restarts",
                   count(*) FILTER (WHERE kind = 'rotation') AS "Rotations",
                   coalesce(sum(extract(epoch FROM least(completes_at, {until}) - greatest(requested_at, {since})))
                       FILTER (WHERE kind = 'restart' AND completes_at > {since} AND requested_at < {until}), 0)::bigint AS "Downtime"
            FROM reseller.server_events WHERE plan_id = {planId} AND requested_at <= {until}
            """).SingleAsync(cancellationToken);

    private static DateTimeOffset UsageHourFloor(DateTimeOffset at) => Usage.UsageIngest.Truncate(at, TimeSpan.TicksPerHour);

    internal sealed record EventTotals(long Restarts, long Rotations, long Downtime);
}
