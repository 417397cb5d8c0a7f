using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;

namespace FluxSuite.Reseller.Webhooks;

/// <summary><c>POST /webhooks/{id}/test</c>: a <c>webhook.test</c> event for this endpoint alone, sent with the next delivery run; 202 with its delivery.</summary>
internal static class SendTestWebhook
{
    public static async Task<ApiAccepted<Envelope<WebhookDeliveryResponse>>> Handle(
        ResellerCaller caller, Guid id, ResellerDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        ApiResults.Accepted(Envelope.Of(await WebhookEndpoints.SendTestAsync(db, ResellerWebhookEvents.Owner(caller.ResellerId, caller.Mode),
            id, ResellerJson.Options, clock.GetUtcNow(), cancellationToken)));
}
