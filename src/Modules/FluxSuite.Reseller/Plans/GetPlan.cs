using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Plans;

/// <summary><c>GET /plans/{planId}</c>: one of the caller's own plans, in the caller's mode.</summary>
internal static class GetPlan
{
    public static async Task<ApiOk<Envelope<PlanResponse>>> Handle(
        ResellerCaller caller, Guid planId, ResellerDbContext db, TimeProvider clock, IOptions<ResellerOptions> options)
    {
        var plan = await ReadPlans.OwnedAsync(db, caller, planId);
        return ApiResults.Ok(Envelope.Of(PlanResponse.From(plan, options.Value.ConnectionFor(plan.Product), clock.GetUtcNow())));
    }
}
