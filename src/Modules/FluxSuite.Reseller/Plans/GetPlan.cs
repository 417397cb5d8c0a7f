using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FluxSuite.Reseller.Plans;

/// <summary><c>GET /plans/{planId}</c>: one of the caller's own plans, in the caller's mode.</summary>
internal static class GetPlan
{
    public static async Task<ApiOk<Envelope<PlanResponse>>> Handle(
        ResellerCaller caller, Guid planId, HttpContext http, PooledStatements statements, TimeProvider clock, IOptions<ResellerOptions> options,
        CancellationToken cancellationToken)
    {
        var read = await KeyedRead.TakeOrRunAsync(http, caller, statements, () => new PlanRead(planId), cancellationToken);
        var plan = read.Plan ?? throw ReadPlans.NotFound(planId);
        return ApiResults.Ok(Envelope.Of(PlanResponse.From(plan, options.Value.ConnectionFor(plan.Product), clock.GetUtcNow())));
    }

    /// <summary>The plan's read, which rides with the key lookup (<see cref="KeyedRead"/>); the route's id is a guid.</summary>
    public static KeyedRead? ReadFor(HttpContext http) =>
        KeyedReads.RouteId(http, "planId") is { } planId ? new PlanRead(planId) : null;

    /// <summary>The owner's plan, or null when it has none of that id.</summary>
    internal sealed class PlanRead(Guid planId) : KeyedRead
    {
        public Plan? Plan { get; private set; }

        public override IReadOnlyList<NpgsqlBatchCommand> Commands(ReadOwner owner) => [ReadPlans.Owned(owner, planId)];

        public override async Task ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(reader);
            Plan = await reader.ReadAsync(cancellationToken) ? ReadPlans.Read(reader, 0) : null;
        }
    }
}
