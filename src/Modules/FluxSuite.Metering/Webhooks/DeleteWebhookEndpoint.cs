using System.Security.Claims;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FluxSuite.Metering.Webhooks;

/// <summary><c>DELETE /webhooks/{id}</c>: the endpoint, its deliveries and their log; 204.</summary>
internal static class DeleteWebhookEndpoint
{
    public static async Task<NoContent> Handle(Guid id, ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken)
    {
        await WebhookEndpoints.DeleteAsync(db, MeteringWebhookEvents.Owner(caller.OrganizationId()), id, cancellationToken);
        return TypedResults.NoContent();
    }
}
