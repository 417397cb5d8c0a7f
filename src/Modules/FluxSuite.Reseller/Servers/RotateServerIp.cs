using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Upstream;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Servers;

/// <summary><c>POST /servers/{planId}/rotate-ip</c> (dedicated mobile): a new IP for the plan's server.</summary>
internal static class RotateServerIp
{
    public static async Task<ApiOk<Envelope<RotationResponse>>> Handle(
        ResellerCaller caller, Guid planId, ResellerDbContext db, UpstreamSelector upstreams, TimeProvider clock,
        IOptions<ResellerOptions> options, CancellationToken cancellationToken)
    {
        var plan = await ReadPlans.OwnedAsync(db, caller, planId);
        var rotation = await ServerActions.RotateAsync(db, plan, upstreams, options.Value.Servers, clock.GetUtcNow(), "api", cancellationToken);
        return ApiResults.Ok(Envelope.Of(rotation));
    }
}
