using System.Text.Json;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Pages;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.BuildingBlocks.Validation;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Email;
using FluxSuite.Metering.Invoices;
using FluxSuite.Metering.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FluxSuite.Metering;

/// <summary>The Metering module: usage metering and billing under /metering/api/v1.</summary>
public static class MeteringModule
{
    internal const string DocumentName = "metering";
    internal const string BasePath = "/metering";
    internal const string ApiBase = "/metering/api/v1";

    public static IHostApplicationBuilder AddMetering(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddModuleDatabase<MeteringDbContext>(MeteringDbContext.Schema);
        // Errors are RFC 9457 problem+json with snake_case extension members, like the resources.
        services.AddApiErrorFormat(new ProblemJsonErrorFormat(JsonNamingPolicy.SnakeCaseLower), BasePath);
        services.AddApiDocument(new ApiDocument(
            DocumentName,
            "FluxSuite Metering",
            "Usage metering and billing: meters, plans and charges, customers, subscriptions, API keys, the SDK track endpoint and invoices. " +
            "Sign up or log in under /metering/api/v1/auth, then authorize with the access_token (cookie or bearer); SDK routes take X-API-Key.",
            [MeteringAuthentication.CookieSecurity, MeteringAuthentication.BearerSecurity, MeteringAuthentication.ApiKeySecurity, OperatorSecurity.Scheme]));
        services.AddValidatorsFrom(typeof(MeteringModule).Assembly);
        services.AddModulePages(typeof(MeteringModule).Assembly, Pages.Metering.MeteringPage.Root);

        services.AddOptions<JwtOptions>().Bind(builder.Configuration.GetSection(JwtOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AccessTokens>();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddSingleton<LoginThrottling>();
        services.AddSingleton<ApiKeyLookup>();
        services.AddScoped<Sessions>();
        services.AddSingleton<Usage.SdkDataSource>();
        services.AddSingleton<Usage.EventWriter>();
        services.AddSingleton<Usage.EventWriteQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<Usage.EventWriteQueue>());
        services.AddSingleton<Usage.UsageQueries>();
        services.AddMeteringAuthentication();

        services.AddOptions<InvoiceOptions>().Bind(builder.Configuration.GetSection(InvoiceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SmtpOptions>().Bind(builder.Configuration.GetSection(SmtpOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        services.AddScoped<InvoiceDrafting>();
        services.AddScoped<InvoiceFinalizer>();
        services.AddSingleton<SmtpSender>();
        services.AddSingleton<InvoiceEmailOutbox>();
        InvoiceJobs.Schedule(builder);
        Webhooks.MeteringWebhooks.AddWebhooks(builder);
        return builder;
    }

    public static IEndpointRouteBuilder MapMetering(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup(ApiBase).WithGroupName(DocumentName);

        var auth = api.MapGroup("/auth").WithTags("Auth");
        auth.MapPost("/signup", Signup.Handle).Validate<Signup.Request>().Returns<SessionResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        auth.MapPost("/login", Login.Handle).Validate<Login.Request>().Returns<SessionResponse>().ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/logout", Logout.Handle).Produces(StatusCodes.Status204NoContent);
        auth.MapGet("/me", Me.Handle).RequireUser().Returns<Me.Response>();

        MapDashboard(api.MapGroup(string.Empty).RequireUser());

        var usage = api.MapGroup(string.Empty).WithTags("Usage")
            .RequireAuthorization(MeteringAuthentication.UsageReaderPolicy)
            .WithSecurityScheme(MeteringAuthentication.CookieSecurity.Id, MeteringAuthentication.BearerSecurity.Id, MeteringAuthentication.ApiKeySecurity.Id);
        usage.MapGet("/usage", Usage.GetUsage.Handle).Returns<Usage.GetUsage.Response>()
            .WithParameterRules(new ParameterRule("meter_id", Required: true), new ParameterRule("granularity", AllowedValues: ["hour", "day", "month"]));
        usage.MapGet("/customers/{id:guid}/usage", Usage.GetCustomerUsage.Handle).Returns<Usage.GetCustomerUsage.Response>();

        // The SDK routes check the key inside the statement that writes the events (see EventWriter).
        var sdk = api.MapGroup("/sdk").WithTags("SDK").WithSecurityScheme(MeteringAuthentication.ApiKeySecurity.Id);
        sdk.MapPost("/track", Usage.TrackEvent.Handle).Returns<Usage.TrackResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        sdk.MapPost("/track/batch", Usage.TrackBatch.Handle).Returns<Usage.TrackBatch.Response>(StatusCodes.Status202Accepted)
            .WithMetadata(new RequestSizeLimitAttribute(Usage.TrackBatch.MaxBodyBytes));
        Webhooks.MeteringWebhooks.MapWebhooks(endpoints);
        return endpoints;
    }

    private static void MapDashboard(RouteGroupBuilder dashboard)
    {
        var features = dashboard.MapGroup("/features").WithTags("Features (meters)");
        features.MapPost("/", Meters.CreateFeature.Handle).Validate<Meters.CreateFeature.Request>().Returns<Meters.FeatureResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        features.MapGet("/", Meters.ListFeatures.Handle).Returns<ListResponse<Meters.FeatureResponse>>()
            .WithParameterRules(ParameterRules.Paging("page_size", Paging.MaxPageSize));
        features.MapGet("/{id:guid}", Meters.GetFeature.Handle).Returns<Meters.FeatureResponse>();
        features.MapPatch("/{id:guid}", Meters.UpdateFeature.Handle).Returns<Meters.FeatureResponse>();
        features.MapPost("/{id:guid}/archive", Meters.ArchiveFeature.Handle).Returns<Meters.FeatureResponse>().ProducesProblem(StatusCodes.Status409Conflict);

        var plans = dashboard.MapGroup("/plans").WithTags("Plans and charges");
        plans.MapPost("/", Plans.CreatePlan.Handle).Validate<Plans.CreatePlan.Request>().Returns<Plans.PlanResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        plans.MapGet("/", Plans.ListPlans.Handle).Returns<ListResponse<Plans.PlanResponse>>()
            .WithParameterRules(ParameterRules.Paging("page_size", Paging.MaxPageSize));
        plans.MapGet("/{id:guid}", Plans.GetPlan.Handle).Returns<Plans.PlanResponse>();
        plans.MapPatch("/{id:guid}", Plans.UpdatePlan.Handle).Returns<Plans.PlanResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        plans.MapPost("/{id:guid}/archive", Plans.ArchivePlan.Handle).Returns<Plans.PlanResponse>();
        plans.MapPost("/{id:guid}/charges", Plans.AddCharge.Handle).Returns<Plans.ChargeResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        plans.MapGet("/{id:guid}/charges", Plans.ReadCharges.List).Returns<Plans.ReadCharges.ListResponse>();
        plans.MapGet("/{id:guid}/charges/{chargeId:guid}", Plans.ReadCharges.Get).Returns<Plans.ChargeResponse>();
        plans.MapPatch("/{id:guid}/charges/{chargeId:guid}", Plans.UpdateCharge.Handle).Returns<Plans.ChargeResponse>();
        plans.MapPost("/{id:guid}/charges/{chargeId:guid}/archive", Plans.ArchiveCharge.Handle).Returns<Plans.ChargeResponse>();

        var customers = dashboard.MapGroup("/customers").WithTags("Customers");
        customers.MapPost("/", Customers.CreateCustomer.Handle).Validate<Customers.CreateCustomer.Request>().Returns<Customers.CustomerResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        customers.MapGet("/", Customers.ListCustomers.Handle).Returns<ListResponse<Customers.CustomerResponse>>()
            .WithParameterRules(ParameterRules.Paging("page_size", Paging.MaxPageSize));
        customers.MapGet("/{id:guid}", Customers.GetCustomer.Handle).Returns<Customers.CustomerResponse>();
        customers.MapPatch("/{id:guid}", Customers.UpdateCustomer.Handle).Returns<Customers.CustomerResponse>().ProducesProblem(StatusCodes.Status409Conflict);

        var subscriptions = dashboard.MapGroup("/subscriptions").WithTags("Subscriptions");
        subscriptions.MapPost("/", Subscriptions.CreateSubscription.Handle).Returns<Subscriptions.SubscriptionResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        subscriptions.MapGet("/", Subscriptions.ListSubscriptions.Handle).Returns<ListResponse<Subscriptions.SubscriptionResponse>>()
            .WithParameterRules([.. ParameterRules.Paging("page_size", Paging.MaxPageSize), new("status", AllowedValues: ["active", "scheduled", "canceled"])]);
        subscriptions.MapGet("/{id:guid}", Subscriptions.GetSubscription.Handle).Returns<Subscriptions.SubscriptionResponse>();
        subscriptions.MapPost("/{id:guid}/cancel", Subscriptions.CancelSubscription.Handle).Returns<Subscriptions.SubscriptionResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        subscriptions.MapPost("/{id:guid}/generate-invoice", GenerateInvoice.Handle).WithTags("Invoices")
            .Returns<InvoiceResponse>(StatusCodes.Status201Created).Conflicts()
            .WithSummary("A DRAFT invoice for the usage from the end of the last invoiced range up to now");

        var invoices = dashboard.MapGroup("/invoices").WithTags("Invoices");
        invoices.MapGet("/", ListInvoices.Handle).Returns<ListResponse<InvoiceResponse>>()
            .WithSummary("Invoices, newest first (?status=DRAFT|OPEN|PAID|VOID&customer_id=&subscription_id=&page=&page_size=)")
            .WithParameterRules([.. ParameterRules.Paging("page_size", Paging.MaxPageSize), new("status", AllowedValues: InvoiceStatuses.All)]);
        invoices.MapGet("/{id:guid}", GetInvoice.Handle).Returns<InvoiceResponse>();
        invoices.MapGet("/{id:guid}/html", GetInvoiceHtml.Handle).Produces<string>(StatusCodes.Status200OK, "text/html")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The printable invoice (the page the customer is emailed)");
        invoices.MapPost("/{id:guid}/finalize", FinalizeInvoice.Handle).Returns<InvoiceResponse>().Conflicts()
            .WithSummary("DRAFT → OPEN now, without waiting for the grace period");
        invoices.MapPost("/{id:guid}/void", VoidInvoice.Handle).Returns<InvoiceResponse>().Conflicts()
            .WithSummary("DRAFT or OPEN → VOID");
        invoices.MapPost("/{id:guid}/mark-paid", MarkInvoicePaid.Handle).Returns<InvoiceResponse>().Conflicts()
            .WithSummary("OPEN → PAID");

        var keys = dashboard.MapGroup("/api-keys").WithTags("API keys");
        keys.MapPost("/", ApiKeys.CreateApiKey.Handle).Returns<ApiKeys.CreatedApiKeyResponse>(StatusCodes.Status201Created);
        keys.MapGet("/", ApiKeys.ListApiKeys.Handle).Returns<ApiKeys.ListApiKeys.Response>();
        keys.MapDelete("/{id:guid}", ApiKeys.RevokeApiKey.Handle).Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>Documents the success body and the problem answers every route can give.</summary>
    private static RouteHandlerBuilder Returns<T>(this RouteHandlerBuilder builder, int status = StatusCodes.Status200OK) =>
        builder.Produces<T>(status)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>A 409 for a state that forbids the request, and a 422 for amounts too large to keep.</summary>
    private static RouteHandlerBuilder Conflicts(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    private static TBuilder RequireUser<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(MeteringAuthentication.UserPolicy)
            .WithSecurityScheme(MeteringAuthentication.CookieSecurity.Id, MeteringAuthentication.BearerSecurity.Id);
}
