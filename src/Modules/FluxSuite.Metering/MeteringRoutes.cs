using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Validation;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Invoices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace FluxSuite.Metering;

/// <summary>Every Metering route, under /metering/api/v1: auth, the dashboard's resources, usage reads and the SDK.</summary>
internal static class MeteringRoutes
{
    /// <summary>Resources in JSON with UTC timestamps; errors as problem+json with snake_case extension members.</summary>
    public static ApiWireFormat WireFormat { get; } = new(MeteringJson.Options, MeteringModule.ErrorFormat);

    /// <summary>What every route but logout can answer: a refused request, caller or object.</summary>
    private static readonly int[] Refusals = [StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound];

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var root = endpoints.MapGroup(MeteringModule.ApiBase).WithGroupName(MeteringModule.DocumentName).WithWireFormat(WireFormat);

        var auth = root.MapGroup("/auth").WithTags("Auth");
        auth.MapPost("/signup", Signup.Handle).Validate<Signup.Request>().ProducesErrors([.. Refusals, StatusCodes.Status409Conflict]);
        auth.MapPost("/login", Login.Handle).Validate<Login.Request>().ProducesErrors([.. Refusals, StatusCodes.Status429TooManyRequests]);
        auth.MapPost("/logout", Logout.Handle);
        auth.MapGet("/me", Me.Handle).RequireUser().ProducesErrors(Refusals);

        var api = root.MapGroup(string.Empty).ProducesErrors(Refusals);
        MapDashboard(api.MapGroup(string.Empty).RequireUser());

        var usage = api.MapGroup(string.Empty).WithTags("Usage")
            .RequireAuthorization(MeteringAuthentication.UsageReaderPolicy)
            .WithSecurityScheme(MeteringAuthentication.CookieSecurity.Id, MeteringAuthentication.BearerSecurity.Id, MeteringAuthentication.ApiKeySecurity.Id);
        usage.MapGet("/usage", Usage.GetUsage.Handle)
            .WithParameterRules(new ParameterRule("meter_id", Required: true), new ParameterRule("granularity", AllowedValues: ["hour", "day", "month"]));
        usage.MapGet("/customers/{id:guid}/usage", Usage.GetCustomerUsage.Handle);

        // The SDK routes check the key inside the statement that writes the events (see EventWriter).
        var sdk = api.MapGroup("/sdk").WithTags("SDK").WithSecurityScheme(MeteringAuthentication.ApiKeySecurity.Id);
        sdk.MapPost("/track", Usage.TrackEvent.Handle)
            .ProducesErrors(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        sdk.MapPost("/track/batch", Usage.TrackBatch.Handle)
            .WithMetadata(new RequestSizeLimitAttribute(Usage.TrackBatch.MaxBodyBytes));

        MapWebhooks(api.MapGroup("/webhooks").WithTags("Webhooks").RequireUser());

        var operators = endpoints.MapGroup("/admin/metering").WithGroupName(MeteringModule.DocumentName).WithWireFormat(WireFormat)
            .WithTags("Operators").ProducesErrors(StatusCodes.Status401Unauthorized);
        operators.MapGet("/webhooks", Webhooks.ListAllWebhookEndpoints.Handle)
            .WithSummary("Every organization's webhook endpoints and their health, failing ones first");
    }

    private static void MapWebhooks(RouteGroupBuilder webhooks)
    {
        webhooks.MapPost("/", Webhooks.CreateWebhookEndpoint.Handle).Validate<Webhooks.CreateWebhookEndpoint.Request>()
            .ProducesErrors(StatusCodes.Status409Conflict)
            .WithSummary("Register an endpoint: events are sent to its https URL, signed per Standard Webhooks with the secret answered this once")
            .WithDescription($"events: one or more of {string.Join(", ", Webhooks.MeteringWebhookEvents.All)}. 409 when the organization has as many endpoints as allowed.");
        webhooks.MapGet("/", Webhooks.ListWebhookEndpoints.Handle)
            .WithSummary("The organization's endpoints, with their health (failures, disabled_reason)");
        webhooks.MapGet("/{id:guid}", Webhooks.GetWebhookEndpoint.Handle).WithSummary("One endpoint");
        webhooks.MapPatch("/{id:guid}", Webhooks.UpdateWebhookEndpoint.Handle).Validate<Webhooks.UpdateWebhookEndpoint.Request>()
            .WithSummary("Change an endpoint's url, events, description or enabled (true clears what disabled it)");
        webhooks.MapDelete("/{id:guid}", Webhooks.DeleteWebhookEndpoint.Handle).WithSummary("Delete an endpoint and its delivery log");
        webhooks.MapPost("/{id:guid}/rotate-secret", Webhooks.RotateWebhookSecret.Handle)
            .WithSummary("A new signing secret (shown this once); the old one signs nothing more");
        webhooks.MapGet("/{id:guid}/deliveries", Webhooks.ListWebhookDeliveries.Handle)
            .WithParameterRules(ParameterRules.Paging("page_size", Paging.MaxPageSize))
            .WithSummary("The delivery log, newest first: each attempt's status code, duration and the start of the answer");
        webhooks.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/redeliver", Webhooks.RedeliverWebhook.Handle)
            .ProducesErrors(StatusCodes.Status409Conflict)
            .WithSummary("Send a delivery again (same webhook-id) with the next delivery run; 409 while an attempt is under way");
        webhooks.MapPost("/{id:guid}/test", Webhooks.SendTestWebhook.Handle)
            .WithSummary("Send a webhook.test event to this endpoint with the next delivery run");
    }

    private static void MapDashboard(RouteGroupBuilder dashboard)
    {
        var features = dashboard.MapGroup("/features").WithTags("Features (meters)");
        features.MapPost("/", Meters.CreateFeature.Handle).Validate<Meters.CreateFeature.Request>().ProducesErrors(StatusCodes.Status409Conflict);
        features.MapGet("/", Meters.ListFeatures.Handle)
            .WithParameterRules(ParameterRules.Paging("page_size", Paging.MaxPageSize));
        features.MapGet("/{id:guid}", Meters.GetFeature.Handle);
        features.MapPatch("/{id:guid}", Meters.UpdateFeature.Handle);
        features.MapPost("/{id:guid}/archive", Meters.ArchiveFeature.Handle).ProducesErrors(StatusCodes.Status409Conflict);

        var plans = dashboard.MapGroup("/plans").WithTags("Plans and charges");
        plans.MapPost("/", Plans.CreatePlan.Handle).Validate<Plans.CreatePlan.Request>().ProducesErrors(StatusCodes.Status409Conflict);
        plans.MapGet("/", Plans.ListPlans.Handle)
            .WithParameterRules(ParameterRules.Paging("page_size", Paging.MaxPageSize));
        plans.MapGet("/{id:guid}", Plans.GetPlan.Handle);
        plans.MapPatch("/{id:guid}", Plans.UpdatePlan.Handle).ProducesErrors(StatusCodes.Status409Conflict);
        plans.MapPost("/{id:guid}/archive", Plans.ArchivePlan.Handle);
        plans.MapPost("/{id:guid}/charges", Plans.AddCharge.Handle).ProducesErrors(StatusCodes.Status409Conflict);
        plans.MapGet("/{id:guid}/charges", Plans.ListCharges.Handle);
        plans.MapGet("/{id:guid}/charges/{chargeId:guid}", Plans.GetCharge.Handle);
        plans.MapPatch("/{id:guid}/charges/{chargeId:guid}", Plans.UpdateCharge.Handle);
        plans.MapPost("/{id:guid}/charges/{chargeId:guid}/archive", Plans.ArchiveCharge.Handle);

        var customers = dashboard.MapGroup("/customers").WithTags("Customers");
        customers.MapPost("/", Customers.CreateCustomer.Handle).Validate<Customers.CreateCustomer.Request>().ProducesErrors(StatusCodes.Status409Conflict);
        customers.MapGet("/", Customers.ListCustomers.Handle)
            .WithParameterRules(ParameterRules.Paging("page_size", Paging.MaxPageSize));
        customers.MapGet("/{id:guid}", Customers.GetCustomer.Handle);
        customers.MapPatch("/{id:guid}", Customers.UpdateCustomer.Handle).ProducesErrors(StatusCodes.Status409Conflict);

        var subscriptions = dashboard.MapGroup("/subscriptions").WithTags("Subscriptions");
        subscriptions.MapPost("/", Subscriptions.CreateSubscription.Handle).ProducesErrors(StatusCodes.Status409Conflict);
        subscriptions.MapGet("/", Subscriptions.ListSubscriptions.Handle)
            .WithParameterRules([.. ParameterRules.Paging("page_size", Paging.MaxPageSize), new("status", AllowedValues: ["active", "scheduled", "canceled"])]);
        subscriptions.MapGet("/{id:guid}", Subscriptions.GetSubscription.Handle);
        subscriptions.MapPost("/{id:guid}/cancel", Subscriptions.CancelSubscription.Handle).ProducesErrors(StatusCodes.Status409Conflict);
        subscriptions.MapPost("/{id:guid}/generate-invoice", GenerateInvoice.Handle).WithTags("Invoices")
            .ProducesErrors(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .WithSummary("A DRAFT invoice for the usage from the end of the last invoiced range up to now");

        var invoices = dashboard.MapGroup("/invoices").WithTags("Invoices");
        invoices.MapGet("/", ListInvoices.Handle)
            .WithSummary("Invoices, newest first (?status=DRAFT|OPEN|PAID|VOID&customer_id=&subscription_id=&page=&page_size=)")
            .WithParameterRules([.. ParameterRules.Paging("page_size", Paging.MaxPageSize), new("status", AllowedValues: InvoiceStatuses.All)]);
        invoices.MapGet("/{id:guid}", GetInvoice.Handle);
        invoices.MapGet("/{id:guid}/html", GetInvoiceHtml.Handle).Produces<string>(StatusCodes.Status200OK, "text/html")
            .ProducesErrors(StatusCodes.Status401Unauthorized).ProducesErrors(StatusCodes.Status404NotFound)
            .WithSummary("The printable invoice (the page the customer is emailed)");
        invoices.MapPost("/{id:guid}/finalize", FinalizeInvoice.Handle).ProducesErrors(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .WithSummary("DRAFT → OPEN now, without waiting for the grace period");
        invoices.MapPost("/{id:guid}/void", VoidInvoice.Handle).ProducesErrors(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .WithSummary("DRAFT or OPEN → VOID");
        invoices.MapPost("/{id:guid}/mark-paid", MarkInvoicePaid.Handle).ProducesErrors(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .WithSummary("OPEN → PAID");

        var keys = dashboard.MapGroup("/api-keys").WithTags("API keys");
        keys.MapPost("/", ApiKeys.CreateApiKey.Handle);
        keys.MapGet("/", ApiKeys.ListApiKeys.Handle);
        keys.MapDelete("/{id:guid}", ApiKeys.RevokeApiKey.Handle).ProducesErrors(StatusCodes.Status404NotFound);
    }

    private static TBuilder RequireUser<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(MeteringAuthentication.UserPolicy)
            .WithSecurityScheme(MeteringAuthentication.CookieSecurity.Id, MeteringAuthentication.BearerSecurity.Id);
}
