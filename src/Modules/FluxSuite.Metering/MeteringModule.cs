using System.Text.Json;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace FluxSuite.Metering;

/// <summary>The Metering module: usage metering and billing under /metering/api/v1.</summary>
public static class MeteringModule
{
    internal const string DocumentName = "metering";
    internal const string BasePath = "/metering";

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
            "Usage metering and billing: meters, plans and charges, customers, subscriptions, API keys, the SDK track endpoint and invoices.",
            []));
        return builder;
    }

    public static IEndpointRouteBuilder MapMetering(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints;
    }
}
