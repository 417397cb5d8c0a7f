using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.BuildingBlocks.Scheduling;
using FluxSuite.BuildingBlocks.Validation;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Balance;
using FluxSuite.Reseller.Connections;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Jobs;
using FluxSuite.Reseller.OpenApi;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Pricing;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Upstream;
using FluxSuite.Reseller.Usage;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller;

/// <summary>The Reseller module: the proxy-reseller API, live and sandbox.</summary>
public static class ResellerModule
{
    internal const string DocumentName = "reseller";

    /// <summary>The scheduler queue of the module's jobs.</summary>
    internal const string Queue = "reseller";

    public static IHostApplicationBuilder AddReseller(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddModuleDatabase<ResellerDbContext>(ResellerDbContext.Schema);
        services.AddApiErrorFormat(ResellerErrorFormat.Instance,
            "/api/v1", "/sandbox/api/v1", "/admin/resellers", "/admin/pools", "/admin/stock", "/admin/usage");
        services.AddApiDocument(new ApiDocument(
            DocumentName,
            "FluxSuite Reseller",
            "The proxy-reseller API under /api/v1 (live keys, fp_live_…) and /sandbox/api/v1 (test keys, fp_test_…), and its operator routes. " +
            "Amounts are integer cents. Errors: {\"success\":false,\"error\":{\"code\",\"message\",\"details\",\"trace_id\"}}.",
            [OperatorSecurity.Scheme, ResellerRoutes.KeyScheme]));
        services.AddResellerOpenApi();
        services.AddOptions<ResellerOptions>().Bind(builder.Configuration.GetSection(ResellerOptions.Section))
            .Validate(o => o.RateLimit.PermitsPerWindow >= 1 && o.RateLimit.ConcurrentRequests >= 1 && o.RateLimit.PermitBlock >= 1,
                "Reseller:RateLimit:PermitsPerWindow, ConcurrentRequests and PermitBlock must each be at least 1.")
            .Validate(o => o.RateLimit.Window > TimeSpan.Zero, "Reseller:RateLimit:Window must be a positive duration.")
            .ValidateOnStart();
        services.AddValidatorsFrom(typeof(ResellerModule).Assembly);
        services.AddResellerAuthentication();
        services.AddSingleton<KeyRateLimiter>();
        services.AddSingleton<PriceBook>();
        services.TryAddSingleton(sp => new SimulatedProxyUpstream(sp.GetRequiredService<IOptions<ResellerOptions>>().Value.Simulation));
        services.TryAddSingleton<IProxyUpstream>(sp => sp.GetRequiredService<SimulatedProxyUpstream>());
        services.AddSingleton<UpstreamSelector>();
        services.AddSingleton<BalanceQueue>();
        services.AddSingleton<ChargeGroups>();
        services.AddScoped<PlanPurchase>();
        services.AddSingleton<UsageIngest>();
        services.AddSingleton<IpResetLinkSigner>();
        builder.AddRecurringJob<PlanExpiryJob>(PlanExpiryJob.Id, "* * * * *", Queue);
        builder.AddRecurringJob<IdempotencyKeyPurgeJob>(IdempotencyKeyPurgeJob.Id, "17 * * * *", Queue);
        builder.AddRecurringJob<RealtimeUsagePurgeJob>(RealtimeUsagePurgeJob.Id, "*/5 * * * *", Queue);
        Webhooks.ResellerWebhooks.AddWebhooks(builder);
        return builder;
    }

    public static IEndpointRouteBuilder MapReseller(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ResellerRoutes.Map(endpoints);
        return endpoints;
    }
}
