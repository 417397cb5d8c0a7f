using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Net;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Pages;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.BuildingBlocks.Scheduling;
using FluxSuite.BuildingBlocks.Validation;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Data;
using FluxSuite.Listings.Directory;
using FluxSuite.Listings.Jobs;
using FluxSuite.Listings.Keys;
using FluxSuite.Listings.Providers;
using FluxSuite.Listings.Pull;
using FluxSuite.Listings.Push;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FluxSuite.Listings;

/// <summary>The Listings module: the provider directory, its push API and its pull sync.</summary>
public static class ListingsModule
{
    internal const string DocumentName = "listings";

    public static IHostApplicationBuilder AddListings(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var section = builder.Configuration.GetSection(ListingsOptions.Section);
        services.AddOptions<ListingsOptions>().Bind(section)
            .Validate(o => OutboundAddressPolicy.AreNetworks(o.Pull.AllowedNetworks),
                "Listings:Pull:AllowedNetworks must hold networks in CIDR notation such as 10.20.0.0/16.")
            .Validate(o => o.DirectoryCache.MaxBytes >= 0, "Listings:DirectoryCache:MaxBytes must not be negative (0 turns the cache off).")
            .Validate(o => o.Pull.Timeout > TimeSpan.Zero, "Listings:Pull:Timeout must be a positive duration.")
            .Validate(o => o.Pull.MaxBodyBytes > 0 && o.Pull.MaxRedirects >= 0 && o.Pull.BatchSize > 0 && o.Pull.MaxBackoff > TimeSpan.Zero
                           && o.Pull.PushPriorityWindow >= TimeSpan.Zero,
                "Listings:Pull:MaxBodyBytes, MaxRedirects, BatchSize, MaxBackoff and PushPriorityWindow must not be negative (nor zero, except the window and redirects).")
            .ValidateOnStart();
        services.AddModuleDatabase<ListingsDbContext>(ListingsDbContext.Schema);
        services.AddApiErrorFormat(ListingsErrorFormat.Instance, "/api/providers", "/admin/providers");
        services.AddModulePages(typeof(ListingsModule).Assembly, "/providers");
        services.AddApiDocument(new ApiDocument(
            DocumentName,
            "FluxSuite Listings",
            "The hosting-provider directory: public listings, the provider push API (PATCH with a provider key), " +
            "the provider's sync status, and operator routes for listings, keys, pull sync and history.",
            [OperatorSecurity.Scheme, ProviderKeyAuthentication.Scheme]));
        services.AddValidatorsFrom(typeof(ListingsModule).Assembly);
        services.ConfigureSwaggerGen(swagger => swagger.SchemaFilter<ListingFieldsSchemaFilter>());

        services.AddScoped<ListingWriter>();
        services.AddSingleton<ListingPatchWriter>();
        services.AddSingleton<PushWriteQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<PushWriteQueue>());
        services.AddSingleton<DirectoryCache>();
        services.AddProviderKeyAuthentication();

        services.AddSingleton<PullAddressPolicy>();
        services.AddScoped<PullDispatcher>();
        services.AddScoped<PullFetcher>();
        services.AddScoped<PullRunner>();
        services.AddHttpClient(PullFetcher.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                ConnectTimeout = sp.GetRequiredService<IOptions<ListingsOptions>>().Value.Pull.Timeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = new GuardedConnector(sp.GetRequiredService<PullAddressPolicy>(), "Pull").ConnectAsync,
            })
            .ConfigureHttpClient(client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("FluxSuite-Listings-Pull/1.0");
            });

        builder.AddRecurringJob<PullDispatchJob>(PullDispatchJob.Id, "* * * * *", PullDispatcher.Queue);
        return builder;
    }

    public static IEndpointRouteBuilder MapListings(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ListingsRoutes.Map(endpoints);
        return endpoints;
    }
}
