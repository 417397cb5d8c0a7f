using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Upstream;

namespace FluxSuite.Reseller.Servers;

/// <summary>
/// <c>GET /servers/{planId}/ip</c> (unlimited residential, dedicated mobile; any other plan is a 400): 404 "Server
/// provisioning" until the server is up (Retry-After says when).
/// </summary>
internal static class GetServerIp
{
    [SchemaId("ServerEndpointsIpResponse")]
    internal sealed record IpResponse(
        [property: JsonPropertyName("plan_id")] Guid PlanId,
        [property: JsonPropertyName("product")] string Product,
        [property: JsonPropertyName("ip")] string Ip,
        [property: JsonPropertyName("status"), AllowedValues("online", "restarting", "rotating")] string Status,
        [property: JsonPropertyName("ip_since")] DateTime IpSince);

    public static async Task<ApiOk<Envelope<IpResponse>>> Handle(
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
}
