using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;

namespace FluxSuite.Reseller.Webhooks;

/// <summary><c>GET /webhooks/{id}</c>: one endpoint of this mode with its health; its secret is never shown again.</summary>
internal static class GetWebhookEndpoint
{
    public static async Task<ApiOk<Envelope<WebhookEndpointResponse>>> Handle(ResellerCaller caller, Guid id, ResellerDbContext db, CancellationToken cancellationToken) =>
        ApiResults.Ok(Envelope.Of(await WebhookEndpoints.GetAsync(db, ResellerWebhookEvents.Owner(caller.ResellerId, caller.Mode), id, cancellationToken)));
}
