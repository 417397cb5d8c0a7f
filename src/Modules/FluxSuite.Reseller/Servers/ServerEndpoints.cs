using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Upstream;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Servers;

/// <summary>
/// <c>/servers/{planId}/…</c> for the server products (unlimited residential and dedicated mobile; any other
/// plan is a 400): the server's IP, IP rotation (dedicated mobile), restarts, monitoring and statistics.
/// </summary>
internal static class ServerEndpoints
{
    internal sealed record IpResponse(
        [property: JsonPropertyName("plan_id")] Guid PlanId,
        [property: JsonPropertyName("product")] string Product,
        [property: JsonPropertyName("ip")] string Ip,
        [property: JsonPropertyName("status"), AllowedValues("online", "restarting", "rotating")] string Status,
        [property: JsonPropertyName("ip_since")] DateTime IpSince);

    internal sealed record Window(
        [property: JsonPropertyName("started_at")] DateTime StartedAt,
        [property: JsonPropertyName("ends_at")] DateTime EndsAt);

    internal sealed record MonitoringResponse(
        [property: JsonPropertyName("plan_id")] Guid PlanId,
        [property: JsonPropertyName("product")] string Product,
        [property: JsonPropertyName("status"), AllowedValues("provisioning", "online", "restarting", "rotating", "expired")] string Status,
        [property: JsonPropertyName("online")] bool Online,
        [property: JsonPropertyName("ip")] string? Ip,
        [property: JsonPropertyName("ready_at")] DateTime ReadyAt,
        [property: JsonPropertyName("uptime_seconds")] long UptimeSeconds,
        [property: JsonPropertyName("restart")] Window? Restart,
        [property: JsonPropertyName("rotation")] Window? Rotation,
        [property: JsonPropertyName("last_restart_at")] DateTime? LastRestartAt,
        [property: JsonPropertyName("last_rotation_at")] DateTime? LastRotationAt,
        [property: JsonPropertyName("next_rotation_at")] DateTime? NextRotationAt,
        [property: JsonPropertyName("checked_at")] DateTime CheckedAt);

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

    /// <summary><c>GET /servers/{planId}/ip</c>: 404 "Server provisioning" until the server is up (Retry-After says when).</summary>
    public static async Task<ApiOk<Envelope<IpResponse>>> Ip(
        ResellerCaller caller, Guid planId, ResellerDbContext db, UpstreamSelector upstreams, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var plan = await ReadPlans.OwnedAsync(db, caller, planId);
        ServerStates.RequireServerProduct(plan, "the server IP");
        var state = await ServerStates.LoadAsync(db, plan, upstreams, clock.GetUtcNow(), forUpdate: false, cancellationToken);
        ServerStates.RequireActive(state, "the server IP");
        if (state.IsProvisioning)
        {
            var seconds = ServerStates.SecondsUntil(state.Server.ReadyAt, state.Now);
            throw new ApiErrorException(ResellerErrors.ServerProvisioning(plan.Id, seconds).RetryAfter(seconds));
        }

        return ApiResults.Ok(Envelope.Of(new IpResponse(plan.Id, plan.Product.WireName(), state.CurrentIp, state.Status, state.IpSince.UtcDateTime)));
    }

    /// <summary><c>POST /servers/{planId}/rotate-ip</c> (dedicated mobile).</summary>
    public static async Task<ApiOk<Envelope<RotationResponse>>> RotateIp(
        ResellerCaller caller, Guid planId, ResellerDbContext db, UpstreamSelector upstreams, TimeProvider clock,
        IOptions<ResellerOptions> options, CancellationToken cancellationToken)
    {
        var plan = await ReadPlans.OwnedAsync(db, caller, planId);
        var rotation = await ServerActions.RotateAsync(db, plan, upstreams, options.Value.Servers, clock.GetUtcNow(), "api", cancellationToken);
        return ApiResults.Ok(Envelope.Of(rotation));
    }

    /// <summary><c>POST /servers/{planId}/restart</c>.</summary>
    public static async Task<ApiOk<Envelope<RestartResponse>>> Restart(
        ResellerCaller caller, Guid planId, ResellerDbContext db, UpstreamSelector upstreams, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var plan = await ReadPlans.OwnedAsync(db, caller, planId);
        return ApiResults.Ok(Envelope.Of(await ServerActions.RestartAsync(db, plan, upstreams, clock.GetUtcNow(), cancellationToken)));
    }

    /// <summary><c>GET /servers/{planId}/monitoring</c>: the server's state now.</summary>
    public static async Task<ApiOk<Envelope<MonitoringResponse>>> Monitoring(
        ResellerCaller caller, Guid planId, ResellerDbContext db, UpstreamSelector upstreams, TimeProvider clock, IOptions<ResellerOptions> options,
        CancellationToken cancellationToken)
    {
        var plan = await ReadPlans.OwnedAsync(db, caller, planId);
        ServerStates.RequireServerProduct(plan, "server monitoring");
        var s = await ServerStates.LoadAsync(db, plan, upstreams, clock.GetUtcNow(), forUpdate: false, cancellationToken);
        var status = s.Status;
        var up = status is ServerState.Online or ServerState.Rotating;
        var nextRotation = plan.Product == Product.DedicatedMobile && s.PlanActive
            ? Later(s.LastRotation is { } r ? r.RequestedAt + options.Value.Servers.MinRotationInterval : s.Server.ReadyAt, s.Now)
            : (DateTimeOffset?)null;
        return ApiResults.Ok(Envelope.Of(new MonitoringResponse(
            plan.Id, plan.Product.WireName(), status, up,
            status is ServerState.Provisioning or ServerState.Offline ? null : s.CurrentIp,
            s.Server.ReadyAt.UtcDateTime,
            up ? (long)(s.Now - s.UpSince).TotalSeconds : 0,
            s.ActiveRestart is { } restart ? new Window(restart.RequestedAt.UtcDateTime, restart.CompletesAt.UtcDateTime) : null,
            s.PendingRotation is { } rotation ? new Window(rotation.RequestedAt.UtcDateTime, rotation.CompletesAt.UtcDateTime) : null,
            s.LastRestart?.RequestedAt.UtcDateTime, s.LastRotation?.RequestedAt.UtcDateTime, nextRotation?.UtcDateTime, s.Now.UtcDateTime)));
    }

    /// <summary>
    /// <c>GET /servers/{planId}/stats</c>: from the moment the server was ready until now (or the plan's expiry): time up and
    /// down (restarts), availability, rotations, and the traffic carried.
    /// </summary>
    public static async Task<ApiOk<Envelope<StatsResponse>>> Stats(
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

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    internal sealed record EventTotals(long Restarts, long Rotations, long Downtime);
}
