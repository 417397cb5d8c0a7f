using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Upstream;

namespace FluxSuite.Reseller.Servers;

/// <summary>The answer to a rotation, by the API or by an IP reset link.</summary>
internal sealed record RotationResponse(
    [property: JsonPropertyName("plan_id")] Guid PlanId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("current_ip")] string CurrentIp,
    [property: JsonPropertyName("requested_at")] DateTime RequestedAt,
    [property: JsonPropertyName("new_ip_ready_at")] DateTime NewIpReadyAt,
    [property: JsonPropertyName("ready_in_seconds")] int ReadyInSeconds,
    [property: JsonPropertyName("next_rotation_at")] DateTime NextRotationAt);

internal sealed record RestartResponse(
    [property: JsonPropertyName("plan_id")] Guid PlanId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("restarted_at")] DateTime RestartedAt,
    [property: JsonPropertyName("back_online_at")] DateTime BackOnlineAt,
    [property: JsonPropertyName("downtime_seconds")] int DowntimeSeconds);

/// <summary>
/// Rotations and restarts. Each locks the server's row for its transaction, so concurrent requests for one
/// server are decided one after the other: the second sees the first's rotation and is refused.
/// </summary>
internal static class ServerActions
{
    /// <summary>
    /// A new public IP for a dedicated mobile plan, live after the provider's delay (10–30 s). Refused (400) while the
    /// server is provisioning or restarting, while a rotation is pending, and within <see cref="ServerOptions.MinRotationInterval"/>
    /// of the last one.
    /// </summary>
    public static async Task<RotationResponse> RotateAsync(
        ResellerDbContext db, Plan plan, UpstreamSelector upstreams, ServerOptions options, DateTimeOffset now, string source,
        CancellationToken cancellationToken)
    {
        ServerStates.RequireServerProduct(plan, "rotating the IP", Product.DedicatedMobile);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var state = await ServerStates.LoadAsync(db, plan, upstreams, now, forUpdate: true, cancellationToken);
        ServerStates.RequireActive(state, "rotating the IP");
        RequireUp(state, "rotating the IP");
        if (state.PendingRotation is { } pending)
        {
            var seconds = ServerStates.SecondsUntil(pending.CompletesAt, now);
            throw new ApiErrorException(ResellerErrors.RotationTooFrequent(
                $"Rotation rate limited: a rotation is in progress; its new IP is live in {seconds} s.").RetryAfter(seconds));
        }

        if (state.LastRotation is { } last && last.RequestedAt + options.MinRotationInterval > now)
        {
            var next = last.RequestedAt + options.MinRotationInterval;
            var seconds = ServerStates.SecondsUntil(next, now);
            throw new ApiErrorException(ResellerErrors.RotationTooFrequent(
                $"Rotation rate limited: one rotation per {options.MinRotationInterval.TotalSeconds:0} s; the next is allowed in {seconds} s ({next.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}).")
                .RetryAfter(seconds));
        }

        var rotation = await ServerStates.CallAsync(() => upstreams.For(plan.Mode).RotateIpAsync(plan.UpstreamReference, state.CurrentIp, cancellationToken));
        var readyAt = now + rotation.ReadyIn;
        db.ServerEvents.Add(new ServerEvent
        {
            PlanId = plan.Id, Kind = ServerEventKind.Rotation, RequestedAt = now, CompletesAt = readyAt, Ip = rotation.NewIp, Source = source,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RotationResponse(plan.Id, ServerState.Rotating, state.CurrentIp, now.UtcDateTime, readyAt.UtcDateTime,
            (int)Math.Ceiling(rotation.ReadyIn.TotalSeconds), (now + options.MinRotationInterval).UtcDateTime);
    }

    /// <summary>Restarts the server: down for the provider's downtime (1–3 min). Refused while provisioning or already restarting.</summary>
    public static async Task<RestartResponse> RestartAsync(
        ResellerDbContext db, Plan plan, UpstreamSelector upstreams, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ServerStates.RequireServerProduct(plan, "restarting the server");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var state = await ServerStates.LoadAsync(db, plan, upstreams, now, forUpdate: true, cancellationToken);
        ServerStates.RequireActive(state, "restarting the server");
        RequireUp(state, "restarting");
        var downtime = await ServerStates.CallAsync(() => upstreams.For(plan.Mode).RestartServerAsync(plan.UpstreamReference, cancellationToken));
        var back = now + downtime;
        db.ServerEvents.Add(new ServerEvent
        {
            PlanId = plan.Id, Kind = ServerEventKind.Restart, RequestedAt = now, CompletesAt = back, Source = "api",
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RestartResponse(plan.Id, ServerState.Restarting, now.UtcDateTime, back.UtcDateTime, (int)Math.Ceiling(downtime.TotalSeconds));
    }

    private static void RequireUp(ServerState state, string operation)
    {
        if (state.IsProvisioning)
        {
            var seconds = ServerStates.SecondsUntil(state.Server.ReadyAt, state.Now);
            throw new ApiErrorException(ResellerErrors.InvalidOperation(
                $"Invalid operation: the server is still provisioning (ready in {seconds} s); {operation} is possible once it is up.").RetryAfter(seconds));
        }

        if (state.ActiveRestart is { } restart)
        {
            var seconds = ServerStates.SecondsUntil(restart.CompletesAt, state.Now);
            throw new ApiErrorException(ResellerErrors.InvalidOperation(
                $"Invalid operation: the server is restarting (back in {seconds} s); {operation} is possible once it is up.").RetryAfter(seconds));
        }
    }
}
