using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;

namespace FluxSuite.Reseller.Webhooks;

/// <summary><c>GET /webhooks</c>: the account's endpoints of this mode, oldest first, with each one's health; secrets are never shown again.</summary>
internal static class ListWebhookEndpoints
{
    internal sealed record ListResponse([property: JsonPropertyName("endpoints")] IReadOnlyList<WebhookEndpointResponse> Endpoints);

    public static async Task<ApiOk<Envelope<ListResponse>>> Handle(ResellerCaller caller, ResellerDbContext db, CancellationToken cancellationToken) =>
        ApiResults.Ok(Envelope.Of(new ListResponse(
            await WebhookEndpoints.ListAsync(db, ResellerWebhookEvents.Owner(caller.ResellerId, caller.Mode), cancellationToken))));
}
