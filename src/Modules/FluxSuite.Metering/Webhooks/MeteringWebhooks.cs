using System.Text.Json;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Validation;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace FluxSuite.Metering.Webhooks;

/// <summary>Metering's webhooks: the organization's endpoints under <c>/metering/api/v1/webhooks</c> and the operator view.</summary>
internal static class MeteringWebhooks
{
    public const string OperatorPath = "/admin/metering/webhooks";

    public static void AddWebhooks(IHostApplicationBuilder builder)
    {
        builder.AddWebhooks(MeteringDbContext.Schema);
        builder.Services.AddApiErrorFormat(new ProblemJsonErrorFormat(JsonNamingPolicy.SnakeCaseLower), OperatorPath);
    }

    public static void MapWebhooks(IEndpointRouteBuilder endpoints)
    {
        var webhooks = endpoints.MapGroup(MeteringModule.ApiBase + "/webhooks")
            .WithGroupName(MeteringModule.DocumentName)
            .WithTags("Webhooks")
            .RequireAuthorization(MeteringAuthentication.UserPolicy)
            .WithSecurityScheme(MeteringAuthentication.CookieSecurity.Id, MeteringAuthentication.BearerSecurity.Id);
        webhooks.MapPost("/", CreateWebhookEndpoint.Handle).Validate<CreateWebhookEndpoint.Request>()
            .Returns<CreatedWebhookEndpointResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Register an endpoint: events are sent to its https URL, signed per Standard Webhooks with the secret answered this once")
            .WithDescription($"events: one or more of {string.Join(", ", MeteringWebhookEvents.All)}. 409 when the organization has as many endpoints as allowed.");
        webhooks.MapGet("/", ReadWebhookEndpoints.List).Returns<ReadWebhookEndpoints.ListResponse>()
            .WithSummary("The organization's endpoints, with their health (failures, disabled_reason)");
        webhooks.MapGet("/{id:guid}", ReadWebhookEndpoints.Get).Returns<WebhookEndpointResponse>().WithSummary("One endpoint");
        webhooks.MapPatch("/{id:guid}", UpdateWebhookEndpoint.Handle).Validate<UpdateWebhookEndpoint.Request>().Returns<WebhookEndpointResponse>()
            .WithSummary("Change an endpoint's url, events, description or enabled (true clears what disabled it)");
        webhooks.MapDelete("/{id:guid}", DeleteWebhookEndpoint.Handle).Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Delete an endpoint and its delivery log");
        webhooks.MapPost("/{id:guid}/rotate-secret", RotateWebhookSecret.Handle).Returns<WebhookSecretResponse>()
            .WithSummary("A new signing secret (shown this once); the old one signs nothing more");
        webhooks.MapGet("/{id:guid}/deliveries", ListWebhookDeliveries.Handle).Returns<ListResponse<WebhookDeliveryResponse>>()
            .WithParameterRules(ParameterRules.Paging("page_size", Paging.MaxPageSize))
            .WithSummary("The delivery log, newest first: each attempt's status code, duration and the start of the answer");
        webhooks.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/redeliver", RedeliverWebhook.Handle)
            .Returns<WebhookDeliveryResponse>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Send a delivery again (same webhook-id) with the next delivery run; 409 while an attempt is under way");
        webhooks.MapPost("/{id:guid}/test", SendTestWebhook.Handle).Returns<WebhookDeliveryResponse>(StatusCodes.Status202Accepted)
            .WithSummary("Send a webhook.test event to this endpoint with the next delivery run");

        endpoints.MapGet(OperatorPath, ListAllWebhookEndpoints.Handle)
            .WithGroupName(MeteringModule.DocumentName)
            .WithTags("Operators")
            .Produces<ListAllWebhookEndpoints.Response>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Every organization's webhook endpoints and their health, failing ones first");
    }

    /// <summary>The success body and the problem answers every webhook route can give.</summary>
    private static RouteHandlerBuilder Returns<T>(this RouteHandlerBuilder builder, int status = StatusCodes.Status200OK) =>
        builder.Produces<T>(status)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
}
