using System.Text.Json;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.BuildingBlocks.Validation;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

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
            [MeteringAuthentication.CookieSecurity, MeteringAuthentication.BearerSecurity, MeteringAuthentication.ApiKeySecurity]));
        services.AddValidatorsFrom(typeof(MeteringModule).Assembly);

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
        return builder;
    }

    public static IEndpointRouteBuilder MapMetering(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup(ApiBase).WithGroupName(DocumentName);

        var auth = api.MapGroup("/auth").WithTags("Auth");
        auth.MapPost("/signup", Signup.Handle).Validate<Signup.Request>();
        auth.MapPost("/login", Login.Handle).Validate<Login.Request>();
        auth.MapPost("/logout", Logout.Handle);
        auth.MapGet("/me", Me.Handle).RequireUser();

        MapDashboard(api.MapGroup(string.Empty).RequireUser());

        var usage = api.MapGroup(string.Empty).WithTags("Usage")
            .RequireAuthorization(MeteringAuthentication.UsageReaderPolicy)
            .WithSecurityScheme(MeteringAuthentication.CookieSecurity.Id, MeteringAuthentication.BearerSecurity.Id, MeteringAuthentication.ApiKeySecurity.Id);
        usage.MapGet("/usage", Usage.GetUsage.Handle);
        usage.MapGet("/customers/{id:guid}/usage", Usage.GetCustomerUsage.Handle);

        // The SDK routes check the key inside the statement that writes the events (see EventWriter).
        var sdk = api.MapGroup("/sdk").WithTags("SDK").WithSecurityScheme(MeteringAuthentication.ApiKeySecurity.Id);
        sdk.MapPost("/track", Usage.TrackEvent.Handle);
        sdk.MapPost("/track/batch", Usage.TrackBatch.Handle)
            .WithMetadata(new RequestSizeLimitAttribute(Usage.TrackBatch.MaxBodyBytes));
        return endpoints;
    }

    private static void MapDashboard(RouteGroupBuilder dashboard)
    {
        var features = dashboard.MapGroup("/features").WithTags("Features (meters)");
        features.MapPost("/", Meters.CreateFeature.Handle).Validate<Meters.CreateFeature.Request>();
        features.MapGet("/", Meters.ListFeatures.Handle);
        features.MapGet("/{id:guid}", Meters.GetFeature.Handle);
        features.MapPatch("/{id:guid}", Meters.UpdateFeature.Handle);
        features.MapPost("/{id:guid}/archive", Meters.ArchiveFeature.Handle);

        var plans = dashboard.MapGroup("/plans").WithTags("Plans and charges");
        plans.MapPost("/", Plans.CreatePlan.Handle).Validate<Plans.CreatePlan.Request>();
        plans.MapGet("/", Plans.ListPlans.Handle);
        plans.MapGet("/{id:guid}", Plans.GetPlan.Handle);
        plans.MapPatch("/{id:guid}", Plans.UpdatePlan.Handle);
        plans.MapPost("/{id:guid}/archive", Plans.ArchivePlan.Handle);
        plans.MapPost("/{id:guid}/charges", Plans.AddCharge.Handle);
        plans.MapGet("/{id:guid}/charges", Plans.ReadCharges.List);
        plans.MapGet("/{id:guid}/charges/{chargeId:guid}", Plans.ReadCharges.Get);
        plans.MapPatch("/{id:guid}/charges/{chargeId:guid}", Plans.UpdateCharge.Handle);
        plans.MapPost("/{id:guid}/charges/{chargeId:guid}/archive", Plans.ArchiveCharge.Handle);

        var customers = dashboard.MapGroup("/customers").WithTags("Customers");
        customers.MapPost("/", Customers.CreateCustomer.Handle).Validate<Customers.CreateCustomer.Request>();
        customers.MapGet("/", Customers.ListCustomers.Handle);
        customers.MapGet("/{id:guid}", Customers.GetCustomer.Handle);
        customers.MapPatch("/{id:guid}", Customers.UpdateCustomer.Handle);

        var subscriptions = dashboard.MapGroup("/subscriptions").WithTags("Subscriptions");
        subscriptions.MapPost("/", Subscriptions.CreateSubscription.Handle);
        subscriptions.MapGet("/", Subscriptions.ListSubscriptions.Handle);
        subscriptions.MapGet("/{id:guid}", Subscriptions.GetSubscription.Handle);
        subscriptions.MapPost("/{id:guid}/cancel", Subscriptions.CancelSubscription.Handle);

        var keys = dashboard.MapGroup("/api-keys").WithTags("API keys");
        keys.MapPost("/", ApiKeys.CreateApiKey.Handle);
        keys.MapGet("/", ApiKeys.ListApiKeys.Handle);
        keys.MapDelete("/{id:guid}", ApiKeys.RevokeApiKey.Handle);
    }

    private static TBuilder RequireUser<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(MeteringAuthentication.UserPolicy)
            .WithSecurityScheme(MeteringAuthentication.CookieSecurity.Id, MeteringAuthentication.BearerSecurity.Id);
}
