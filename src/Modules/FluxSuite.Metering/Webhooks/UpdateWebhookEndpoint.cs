using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Net;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Webhooks;

/// <summary>
/// <c>PATCH /webhooks/{id}</c> <c>{url?, events?, description?, enabled?}</c>: what is sent changes.
/// <c>enabled: true</c> brings back an endpoint the delivery job disabled (its reason and failure count are cleared).
/// </summary>
internal static class UpdateWebhookEndpoint
{
    internal sealed class Request : IWebhookEndpointRequest
    {
        [NeverNull]
        public string? Url { get; init; }

        [NeverNull]
        public IReadOnlyList<string>? Events { get; init; }

        public string? Description { get; init; }

        [NeverNull]
        public bool? Enabled { get; init; }
    }

    internal sealed class Validator(OutboundAddressPolicy policy) : WebhookEndpointValidator<Request>(policy, MeteringWebhookEvents.All, creating: false);

    public static async Task<ApiOk<WebhookEndpointResponse>> Handle(
        Guid id, Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        ApiResults.Ok(await WebhookEndpoints.UpdateAsync(db, MeteringWebhookEvents.Owner(caller.OrganizationId()), id,
            request.Url, request.Description, request.Events, request.Enabled, clock.GetUtcNow(), cancellationToken));
}
