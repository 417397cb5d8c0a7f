using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Net;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;

namespace FluxSuite.Reseller.Webhooks;

/// <summary>
/// <c>PATCH /webhooks/{id}</c> <c>{url?, events?, description?, enabled?}</c>: what is sent changes.
/// <c>enabled: true</c> brings back an endpoint the delivery job disabled (its reason and failure count are cleared).
/// </summary>
internal static class UpdateWebhookEndpoint
{
    internal sealed class Request : IWebhookEndpointRequest
    {
        [NeverNull, JsonPropertyName("url")]
        public string? Url { get; init; }

        [NeverNull, JsonPropertyName("events")]
        public IReadOnlyList<string>? Events { get; init; }

        [JsonPropertyName("description")]
        public string? Description { get; init; }

        [NeverNull, JsonPropertyName("enabled")]
        public bool? Enabled { get; init; }
    }

    internal sealed class Validator(OutboundAddressPolicy policy) : WebhookEndpointValidator<Request>(policy, ResellerWebhookEvents.All, creating: false);

    public static async Task<ApiOk<Envelope<WebhookEndpointResponse>>> Handle(
        ResellerCaller caller, Guid id, Request request, ResellerDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        ApiResults.Ok(Envelope.Of(await WebhookEndpoints.UpdateAsync(db, ResellerWebhookEvents.Owner(caller.ResellerId, caller.Mode), id,
            request.Url, request.Description, request.Events, request.Enabled, clock.GetUtcNow(), cancellationToken)));
}
