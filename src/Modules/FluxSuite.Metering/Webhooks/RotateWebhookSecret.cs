using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Webhooks;

/// <summary><c>POST /webhooks/{id}/rotate-secret</c>: a new signing secret, shown this once; every later attempt is signed with it.</summary>
internal static class RotateWebhookSecret
{
    public static async Task<ApiOk<WebhookSecretResponse>> Handle(Guid id, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        ApiResults.Ok(await WebhookEndpoints.RotateSecretAsync(db, MeteringWebhookEvents.Owner(caller.OrganizationId()), id, clock.GetUtcNow(),
            cancellationToken));
}
