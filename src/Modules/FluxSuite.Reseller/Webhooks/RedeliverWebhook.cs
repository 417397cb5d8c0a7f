using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;

namespace FluxSuite.Reseller.Webhooks;

/// <summary><c>POST /webhooks/{id}/deliveries/{deliveryId}/redeliver</c>: the event goes out again (same webhook-id) with the next delivery run; 202.</summary>
internal static class RedeliverWebhook
{
    public static async Task<ApiAccepted<Envelope<WebhookDeliveryResponse>>> Handle(
        ResellerCaller caller, Guid id, Guid deliveryId, ResellerDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        ApiResults.Accepted(Envelope.Of(await WebhookEndpoints.RedeliverAsync(db, ResellerWebhookEvents.Owner(caller.ResellerId, caller.Mode),
            id, deliveryId, clock.GetUtcNow(), cancellationToken)));
}
