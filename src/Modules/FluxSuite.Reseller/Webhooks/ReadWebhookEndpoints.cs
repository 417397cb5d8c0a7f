using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FluxSuite.Reseller.Webhooks;

/// <summary><c>GET /webhooks</c> (oldest first, with each endpoint's health) and <c>GET /webhooks/{id}</c>; secrets are never shown again.</summary>
internal static class ReadWebhookEndpoints
{
    internal sealed record ListResponse([property: JsonPropertyName("endpoints")] IReadOnlyList<WebhookEndpointResponse> Endpoints);

    public static async Task<Ok<Envelope<ListResponse>>> List(ResellerCaller caller, ResellerDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(Envelope.Of(new ListResponse(
            await WebhookEndpoints.ListAsync(db, ResellerWebhookEvents.Owner(caller.ResellerId, caller.Mode), cancellationToken))));

    public static async Task<Ok<Envelope<WebhookEndpointResponse>>> Get(ResellerCaller caller, Guid id, ResellerDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(Envelope.Of(await WebhookEndpoints.GetAsync(db, ResellerWebhookEvents.Owner(caller.ResellerId, caller.Mode), id, cancellationToken)));
}
