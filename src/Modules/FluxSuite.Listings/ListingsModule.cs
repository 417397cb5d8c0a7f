using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Data;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace FluxSuite.Listings;

/// <summary>The Listings module: the provider directory, its push API and its pull sync.</summary>
public static class ListingsModule
{
    internal const string DocumentName = "listings";

    public static IHostApplicationBuilder AddListings(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddModuleDatabase<ListingsDbContext>(ListingsDbContext.Schema);
        services.AddApiErrorFormat(ListingsErrorFormat.Instance, "/api/providers", "/admin/providers");
        services.AddApiDocument(new ApiDocument(
            DocumentName,
            "FluxSuite Listings",
            "The hosting-provider directory: public listings, the provider push API (PATCH with a provider key) and operator routes.",
            [OperatorSecurity.Scheme]));
        return builder;
    }

    public static IEndpointRouteBuilder MapListings(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints;
    }
}
