using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Security;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Plans;

/// <summary><c>GET /plans/{planId}</c>: one of the caller's own plans, in the caller's mode.</summary>
internal static class GetPlan
{
    public static async Task<ApiOk<Envelope<PlanResponse>>> Handle(
        ResellerCaller caller, Guid planId, PooledStatements statements, TimeProvider clock, IOptions<ResellerOptions> options,
        CancellationToken cancellationToken)
    {
        var plan = await ReadPlans.OwnedAsync(statements, caller, planId, cancellationToken);
        return ApiResults.Ok(Envelope.Of(PlanResponse.From(plan, options.Value.ConnectionFor(plan.Product), clock.GetUtcNow())));
    }
}
