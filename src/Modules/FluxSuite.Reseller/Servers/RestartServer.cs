using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Upstream;

namespace FluxSuite.Reseller.Servers;

/// <summary><c>POST /servers/{planId}/restart</c>: restarts the plan's server (unlimited residential, dedicated mobile).</summary>
internal static class RestartServer
{
    public static async Task<ApiOk<Envelope<RestartResponse>>> Handle(
        ResellerCaller caller, Guid planId, ResellerDbContext db, UpstreamSelector upstreams, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var plan = await ReadPlans.OwnedAsync(db, caller, planId);
        return ApiResults.Ok(Envelope.Of(await ServerActions.RestartAsync(db, plan, upstreams, clock.GetUtcNow(), cancellationToken)));
    }
}
