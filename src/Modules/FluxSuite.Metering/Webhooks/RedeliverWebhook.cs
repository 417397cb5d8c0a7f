using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Webhooks;

/// <summary><c>POST /webhooks/{id}/deliveries/{deliveryId}/redeliver</c>: the event goes out again (same webhook-id) with the next delivery run; 202.</summary>
internal static class RedeliverWebhook
{
    public static async Task<ApiAccepted<WebhookDeliveryResponse>> Handle(
        Guid id, Guid deliveryId, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        ApiResults.Accepted(await WebhookEndpoints.RedeliverAsync(db, MeteringWebhookEvents.Owner(caller.OrganizationId()), id, deliveryId,
            clock.GetUtcNow(), cancellationToken));
}
