using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Upstream;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Servers;

/// <summary><c>GET /servers/{planId}/monitoring</c>: the server's state now (unlimited residential, dedicated mobile).</summary>
internal static class GetServerMonitoring
{
    [SchemaId("ServerEndpointsWindow")]
    internal sealed record Window(
        [property: JsonPropertyName("started_at")] DateTime StartedAt,
        [property: JsonPropertyName("ends_at")] DateTime EndsAt);

    [SchemaId("ServerEndpointsMonitoringResponse")]
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

    public static async Task<ApiOk<Envelope<MonitoringResponse>>> Handle(
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

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
