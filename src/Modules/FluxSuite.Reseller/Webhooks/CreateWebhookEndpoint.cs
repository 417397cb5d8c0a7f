using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Net;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Webhooks;

/// <summary><c>POST /webhooks</c> <c>{url, events, description?}</c>: 201 with the endpoint and its signing secret, shown this once.</summary>
internal static class CreateWebhookEndpoint
{
    internal sealed class Request : IWebhookEndpointRequest
    {
        [Required, JsonPropertyName("url")]
        public string? Url { get; init; }

        [Required, JsonPropertyName("events")]
        public IReadOnlyList<string>? Events { get; init; }

        [JsonPropertyName("description")]
        public string? Description { get; init; }
    }

    internal sealed class Validator(OutboundAddressPolicy policy) : WebhookEndpointValidator<Request>(policy, ResellerWebhookEvents.All, creating: true);

    public static async Task<ApiCreated<Envelope<CreatedWebhookEndpointResponse>>> Handle(
        ResellerCaller caller, Request request, ResellerDbContext db, TimeProvider clock, IOptions<WebhookOptions> options,
        CancellationToken cancellationToken)
    {
        var created = await WebhookEndpoints.CreateAsync(db, ResellerWebhookEvents.Owner(caller.ResellerId, caller.Mode), request.Url!,
            request.Description, request.Events!, options.Value.MaxEndpointsPerOwner, clock.GetUtcNow(), cancellationToken);
        return ApiResults.Created($"{ResellerRoutes.BasePath(caller.Mode)}/webhooks/{created.Id}", Envelope.Of(created));
    }
}
