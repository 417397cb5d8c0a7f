using System.Text.Json;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Pages;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.BuildingBlocks.Validation;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Email;
using FluxSuite.Metering.Invoices;
using FluxSuite.Metering.Jobs;
using Microsoft.AspNetCore.Identity;
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

    /// <summary>Errors are RFC 9457 problem+json with snake_case extension members, like the resources.</summary>
    internal static ProblemJsonErrorFormat ErrorFormat { get; } = new(JsonNamingPolicy.SnakeCaseLower);

    public static IHostApplicationBuilder AddMetering(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddModuleDatabase<MeteringDbContext>(MeteringDbContext.Schema);
        services.AddApiErrorFormat(ErrorFormat, BasePath);
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
        MeteringRoutes.Map(endpoints);
        return endpoints;
    }
}
