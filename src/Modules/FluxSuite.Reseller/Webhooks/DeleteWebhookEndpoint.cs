using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FluxSuite.Reseller.Webhooks;

/// <summary><c>DELETE /webhooks/{id}</c>: the endpoint, its deliveries and their log; 204.</summary>
internal static class DeleteWebhookEndpoint
{
    public static async Task<NoContent> Handle(ResellerCaller caller, Guid id, ResellerDbContext db, CancellationToken cancellationToken)
    {
        await WebhookEndpoints.DeleteAsync(db, ResellerWebhookEvents.Owner(caller.ResellerId, caller.Mode), id, cancellationToken);
        return TypedResults.NoContent();
    }
}
