using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Upstream;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Servers;

/// <summary>
/// A plan's server at one moment, derived from what the provider told us (ready time, rotations and restarts
/// with their completion times) and the clock, so no background work is needed for it to move on:
/// provisioning until ready, restarting during a restart's downtime, rotating until a new IP is live.
/// </summary>
internal sealed class ServerState(Plan plan, Server server, ServerEvent? lastRotation, ServerEvent? lastCompletedRotation, ServerEvent? lastRestart, DateTimeOffset now)
{
    public const string Provisioning = "provisioning";
    public const string Online = "online";
    public const string Restarting = "restarting";
    public const string Rotating = "rotating";
    public const string Offline = "expired";

    public Plan Plan { get; } = plan;

    public Server Server { get; } = server;

    public DateTimeOffset Now { get; } = now;

    public bool PlanActive => PlanQueries.StatusAt(Plan, Now) == PlanStatus.Active;

    public bool IsProvisioning => Now < Server.ReadyAt;

    public ServerEvent? ActiveRestart => lastRestart is { } r && r.RequestedAt <= Now && Now < r.CompletesAt ? r : null;

    public ServerEvent? LastRestart => lastRestart;

    public ServerEvent? PendingRotation => lastRotation is { } r && Now < r.CompletesAt ? r : null;

    public ServerEvent? LastRotation => lastRotation;

    public string CurrentIp => lastCompletedRotation?.Ip ?? Server.Ip;

    /// <summary>Since when <see cref="CurrentIp"/> has been the server's address.</summary>
    public DateTimeOffset IpSince => lastCompletedRotation?.CompletesAt ?? Server.ReadyAt;

    public string Status =>
        !PlanActive ? Offline
        : IsProvisioning ? Provisioning
        : ActiveRestart is not null ? Restarting
        : PendingRotation is not null ? Rotating
        : Online;

    /// <summary>Up since: the end of the last restart, or when it became ready.</summary>
    public DateTimeOffset UpSince => lastRestart is { } r && r.CompletesAt <= Now && r.CompletesAt > Server.ReadyAt ? r.CompletesAt : Server.ReadyAt;
}

internal static class ServerStates
{
    public static IReadOnlyList<Product> Products { get; } = [Product.UnlimitedResidential, Product.DedicatedMobile];

    /// <summary>400 unless the plan has a server (unlimited residential, dedicated mobile).</summary>
    public static void RequireServerProduct(Plan plan, string operation, params Product[] products)
    {
        var allowed = products.Length == 0 ? Products : products;
        if (!allowed.Contains(plan.Product))
        {
            throw new ApiErrorException(ApiError.InvalidField("plan_id",
                $"Invalid operation: {operation} is for {string.Join(" and ", allowed.Select(p => p.WireName()))} plans; plan {plan.Id} is {plan.Product.WireName()}."));
        }
    }

    /// <summary>400 naming <c>plan_id</c> when the plan is expired or cancelled.</summary>
    public static void RequireActive(ServerState state, string operation)
    {
        if (!state.PlanActive)
        {
            throw new ApiErrorException(ApiError.InvalidField("plan_id",
                $"the plan is {PlanQueries.StatusAt(state.Plan, state.Now)}; {operation} needs an active plan."));
        }
    }

    /// <summary>The plan's server now; <paramref name="forUpdate"/> locks its row for the caller's transaction.</summary>
    public static async Task<ServerState> LoadAsync(
        ResellerDbContext db, Plan plan, UpstreamSelector upstreams, DateTimeOffset now, bool forUpdate, CancellationToken cancellationToken)
    {
        var server = await FindAsync(db, plan.Id, forUpdate, cancellationToken);
        if (server is null)
        {
            // A plan bought before servers were tracked: ask the provider once and keep the answer.
            var described = await CallAsync(() => upstreams.For(plan.Mode).DescribeServerAsync(plan.UpstreamReference, plan.Product, cancellationToken));
            var at = plan.CreatedAt;
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO reseller.servers (plan_id, ip, ready_at, created_at) VALUES ({plan.Id}, {described.Ip}, {at}, {now})
                ON CONFLICT (plan_id) DO NOTHING
                """, cancellationToken);
            server = await FindAsync(db, plan.Id, forUpdate, cancellationToken) ?? throw new InvalidOperationException($"Server of plan {plan.Id} vanished.");
        }

        var events = db.ServerEvents.AsNoTracking().Where(e => e.PlanId == plan.Id && e.RequestedAt <= now);
        var lastRotation = await events.Where(e => e.Kind == ServerEventKind.Rotation)
            .OrderByDescending(e => e.RequestedAt).ThenByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken);
        var lastCompleted = await events.Where(e => e.Kind == ServerEventKind.Rotation && e.CompletesAt <= now)
            .OrderByDescending(e => e.CompletesAt).ThenByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken);
        var lastRestart = await events.Where(e => e.Kind == ServerEventKind.Restart)
            .OrderByDescending(e => e.RequestedAt).ThenByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken);
        return new ServerState(plan, server, lastRotation, lastCompleted, lastRestart, now);
    }

    /// <summary>Calls the provider; any failure of its own is a 502 and changes nothing here.</summary>
    public static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ApiErrorException)
        {
            throw new ApiErrorException(ResellerErrors.UpstreamUnavailable(), ex);
        }
    }

    /// <summary>Whole seconds from now to <paramref name="at"/> (at least 1), for messages and Retry-After.</summary>
    public static int SecondsUntil(DateTimeOffset at, DateTimeOffset now) => Math.Max(1, (int)Math.Ceiling((at - now).TotalSeconds));

    private static Task<Server?> FindAsync(ResellerDbContext db, Guid planId, bool forUpdate, CancellationToken cancellationToken) =>
        forUpdate
            ? db.Servers.FromSql($"SELECT * FROM reseller.servers WHERE plan_id = {planId} FOR UPDATE").AsNoTracking().FirstOrDefaultAsync(cancellationToken)
            : db.Servers.AsNoTracking().FirstOrDefaultAsync(s => s.PlanId == planId, cancellationToken);
}
