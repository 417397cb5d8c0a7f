using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Webhooks;

/// <summary><c>GET /webhooks</c>: the organization's endpoints, oldest first, with each one's health; secrets are never shown again.</summary>
internal static class ListWebhookEndpoints
{
    internal sealed record ListResponse(IReadOnlyList<WebhookEndpointResponse> Data);

    public static async Task<ApiOk<ListResponse>> Handle(ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken) =>
        ApiResults.Ok(new ListResponse(await WebhookEndpoints.ListAsync(db, MeteringWebhookEvents.Owner(caller.OrganizationId()), cancellationToken)));
}
