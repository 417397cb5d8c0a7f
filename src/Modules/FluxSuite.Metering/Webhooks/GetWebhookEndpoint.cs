using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Webhooks;

/// <summary><c>GET /webhooks/{id}</c>: one endpoint with its health; its secret is never shown again.</summary>
internal static class GetWebhookEndpoint
{
    public static async Task<ApiOk<WebhookEndpointResponse>> Handle(Guid id, ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken) =>
        ApiResults.Ok(await WebhookEndpoints.GetAsync(db, MeteringWebhookEvents.Owner(caller.OrganizationId()), id, cancellationToken));
}
