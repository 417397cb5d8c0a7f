using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Net;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;
using Microsoft.Extensions.Options;

namespace FluxSuite.Metering.Webhooks;

/// <summary><c>POST /webhooks</c> <c>{url, events, description?}</c>: 201 with the endpoint and its signing secret, shown this once.</summary>
internal static class CreateWebhookEndpoint
{
    internal sealed class Request : IWebhookEndpointRequest
    {
        [Required]
        public string? Url { get; init; }

        [Required]
        public IReadOnlyList<string>? Events { get; init; }

        public string? Description { get; init; }
    }

    internal sealed class Validator(OutboundAddressPolicy policy) : WebhookEndpointValidator<Request>(policy, MeteringWebhookEvents.All, creating: true);

    public static async Task<ApiCreated<CreatedWebhookEndpointResponse>> Handle(
        Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, IOptions<WebhookOptions> options, CancellationToken cancellationToken)
    {
        var created = await WebhookEndpoints.CreateAsync(db, MeteringWebhookEvents.Owner(caller.OrganizationId()), request.Url!, request.Description,
            request.Events!, options.Value.MaxEndpointsPerOwner, clock.GetUtcNow(), cancellationToken);
        return ApiResults.Created($"{MeteringModule.ApiBase}/webhooks/{created.Id}", created);
    }
}
