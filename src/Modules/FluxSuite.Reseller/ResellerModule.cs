using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace FluxSuite.Reseller;

/// <summary>The Reseller module: the proxy-reseller API, live and sandbox.</summary>
public static class ResellerModule
{
    internal const string DocumentName = "reseller";

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
            "The proxy-reseller API under /api/v1 (live keys, fp_live_…) and /sandbox/api/v1 (test keys, fp_test_…), and its operator routes.",
            [OperatorSecurity.Scheme]));
        return builder;
    }

    public static IEndpointRouteBuilder MapReseller(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints;
    }
}
