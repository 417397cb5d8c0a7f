using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;

namespace FluxSuite.Reseller.Webhooks;

/// <summary><c>POST /webhooks/{id}/rotate-secret</c>: a new signing secret, shown this once; every later attempt is signed with it.</summary>
internal static class RotateWebhookSecret
{
    public static async Task<ApiOk<Envelope<WebhookSecretResponse>>> Handle(
        ResellerCaller caller, Guid id, ResellerDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        ApiResults.Ok(Envelope.Of(await WebhookEndpoints.RotateSecretAsync(db, ResellerWebhookEvents.Owner(caller.ResellerId, caller.Mode), id,
            clock.GetUtcNow(), cancellationToken)));
}
