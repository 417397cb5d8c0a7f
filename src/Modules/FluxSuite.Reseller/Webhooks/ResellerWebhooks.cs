using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Validation;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Balance;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace FluxSuite.Reseller.Webhooks;

/// <summary>
/// Reseller webhooks: each API group (live and sandbox, with their key and rate limit) gets the reseller's
/// endpoints of that mode under <c>/webhooks</c>; the operator group gets the view of every endpoint.
/// </summary>
internal static class ResellerWebhooks
{
    public static void AddWebhooks(IHostApplicationBuilder builder) => builder.AddWebhooks(ResellerDbContext.Schema);

    public static void MapWebhooks(RouteGroupBuilder api, string tagSuffix)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks" + tagSuffix);
        webhooks.MapPost("/", CreateWebhookEndpoint.Handle).Validate<CreateWebhookEndpoint.Request>()
            .WithExample(ResellerExamples.CreateWebhook, StatusCodes.Status201Created, null)
            .WithSummary("Register an endpoint: events are sent to its https URL, signed per Standard Webhooks with the secret answered this once")
            .WithDescription($"events: one or more of {string.Join(", ", ResellerWebhookEvents.All)}. Endpoints and events are kept apart per mode " +
                             "(live on /api/v1, sandbox on /sandbox/api/v1). 409 when the account has as many endpoints as allowed.")
            .ProducesError(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);
        webhooks.MapGet("/", ReadWebhookEndpoints.List).WithSummary("The account's endpoints, with their health (failures, disabled_reason)");
        webhooks.MapGet("/settings", WebhookSettingsEndpoints.Get).WithSummary("Webhook settings: the balance.low threshold");
        webhooks.MapPut("/settings", WebhookSettingsEndpoints.Put).Validate<WebhookSettingsEndpoints.Request>()
            .WithExample(ResellerExamples.WebhookSettings, StatusCodes.Status200OK, null)
            .WithSummary("Set the balance below which balance.low is sent (null: never)")
            .WithDescription("balance.low is sent once each time a charge takes the balance from at or above the threshold to below it.")
            .ProducesError(StatusCodes.Status400BadRequest);
        webhooks.MapGet("/{id:guid}", ReadWebhookEndpoints.Get).WithSummary("One endpoint").ProducesError(StatusCodes.Status404NotFound);
        webhooks.MapPatch("/{id:guid}", UpdateWebhookEndpoint.Handle).Validate<UpdateWebhookEndpoint.Request>()
            .WithExample(ResellerExamples.UpdateWebhook, StatusCodes.Status200OK, null)
            .WithSummary("Change an endpoint's url, events, description or enabled (true clears what disabled it)")
            .ProducesError(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        webhooks.MapDelete("/{id:guid}", DeleteWebhookEndpoint.Handle).WithSummary("Delete an endpoint and its delivery log")
            .ProducesError(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id:guid}/rotate-secret", RotateWebhookSecret.Handle)
            .WithSummary("A new signing secret (shown this once); the old one signs nothing more").ProducesError(StatusCodes.Status404NotFound);
        webhooks.MapGet("/{id:guid}/deliveries", ListWebhookDeliveries.Handle)
            .WithParameterRules(ParameterRules.Paging("per_page", Paging.MaxPerPage))
            .WithSummary("The delivery log, newest first: each attempt's status code, duration and the start of the answer")
            .ProducesError(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/redeliver", RedeliverWebhook.Handle)
            .WithSummary("Send a delivery again (same webhook-id) with the next delivery run; 409 while an attempt is under way")
            .ProducesError(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        webhooks.MapPost("/{id:guid}/test", SendTestWebhook.Handle)
            .WithSummary("Send a webhook.test event to this endpoint with the next delivery run").ProducesError(StatusCodes.Status404NotFound);
    }

    public static void MapOperatorView(RouteGroupBuilder admin) =>
        admin.MapGet("/resellers/webhooks", ListAllWebhookEndpoints.Handle)
            .WithSummary("Every reseller's webhook endpoints (live and sandbox) and their health, failing ones first");
}
