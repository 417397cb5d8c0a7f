using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Webhooks;

/// <summary><c>POST /webhooks/{id}/test</c>: a <c>webhook.test</c> event for this endpoint alone, sent with the next delivery run; 202 with its delivery.</summary>
internal static class SendTestWebhook
{
    public static async Task<ApiAccepted<WebhookDeliveryResponse>> Handle(Guid id, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        ApiResults.Accepted(await WebhookEndpoints.SendTestAsync(db, MeteringWebhookEvents.Owner(caller.OrganizationId()), id, MeteringJson.Options,
            clock.GetUtcNow(), cancellationToken));
}
