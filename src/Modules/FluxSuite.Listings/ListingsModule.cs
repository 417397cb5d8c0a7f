using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Net;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Pages;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.BuildingBlocks.Scheduling;
using FluxSuite.BuildingBlocks.Validation;
using FluxSuite.Listings.Admin;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Data;
using FluxSuite.Listings.Directory;
using FluxSuite.Listings.Jobs;
using FluxSuite.Listings.Keys;
using FluxSuite.Listings.Providers;
using FluxSuite.Listings.Pull;
using FluxSuite.Listings.Push;
using Microsoft.AspNetCore.Builder;
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
        MapDirectory(endpoints.MapGroup("/api/providers").WithGroupName(DocumentName));
        MapOperator(endpoints.MapGroup("/admin/providers").WithGroupName(DocumentName));
        return endpoints;
    }

    private static void MapDirectory(RouteGroupBuilder api)
    {
        api.MapGet("/", ListProviders.HandleAsync)
            .WithTags("Directory").WithName("ListProviders")
            .WithExamples(null, ListingsExamples.Envelopes("list"))
            .WithSummary("The provider directory: filters, sorts and pages")
            .WithDescription("Demo listings are hidden unless includeDemo=true. sort: rating (default), price (with tier), totalNodes, " +
                             "uptimePercentage, name, updatedAt; order: asc|desc. Listings without the sorted value come last.")
            .Produces<ListingsEnvelope<ListProviders.Response>>()
            .Produces<ListingsErrorBody>(StatusCodes.Status400BadRequest)
            .WithParameterRules(
                [.. new[] { "verified", "acceptsFlux", "acceptsStripe", "acceptsFiat", "includeDemo" }.Select(flag => new ParameterRule(flag, AllowedValues: ["true", "false"])),
                 new ParameterRule("sort", AllowedValues: ListProviders.Sorts),
                 new ParameterRule("order", AllowedValues: ["asc", "desc"]),
                 new ParameterRule("page", Minimum: 1, Maximum: int.MaxValue, Type: "integer"),
                 new ParameterRule("pageSize", Minimum: 1, Maximum: ListProviders.MaxPageSize, Type: "integer")]);

        api.MapGet("/{slug}", GetProvider.HandleAsync)
            .WithTags("Directory").WithName("GetProvider")
            .WithExamples(null, ListingsExamples.Envelopes("get"))
            .WithSummary("One listing")
            .Produces<ListingsEnvelope<ProviderView>>()
            .Produces<ListingsErrorBody>(StatusCodes.Status404NotFound);

        api.MapPatch("/{slug}", PatchProvider.HandleAsync)
            .RequireAuthorization(ProviderKeyAuthentication.Policy)
            .WithSecurityScheme(ProviderKeyAuthentication.SchemeId)
            .WithTags("Provider API").WithName("PatchProvider")
            .WithExamples(ListingsExamples.PartialUpdate, ListingsExamples.Envelopes("patch"))
            .WithSummary("Update your listing (push)")
            .WithDescription("Partial update: fields present are set, absent ones are left alone, null clears an optional field, and " +
                             "tiers, languages and supportChannels are replaced whole. The body is checked whole and applied in one " +
                             "transaction. Protected fields (slug, fluxLabsPartner, verified, isDemo, rating, reviewCount) cannot be updated via the API.")
            .Accepts<ProviderFieldsDocument>("application/json")
            .Produces<ListingsEnvelope<ProviderView>>()
            .Produces<ListingsErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ListingsErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ListingsErrorBody>(StatusCodes.Status403Forbidden);

        api.MapGet("/{slug}/sync", GetSyncStatus.HandleAsync)
            .RequireAuthorization(ProviderKeyAuthentication.Policy)
            .WithSecurityScheme(ProviderKeyAuthentication.SchemeId)
            .WithTags("Provider API").WithName("GetProviderSyncStatus")
            .WithExamples(null, ListingsExamples.Envelopes("sync"))
            .WithSummary("Your listing's sync status: pull runs, errors, fields push owns")
            .Produces<ListingsEnvelope<SyncStatusView>>()
            .Produces<ListingsErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ListingsErrorBody>(StatusCodes.Status403Forbidden);
    }

    private static void MapOperator(RouteGroupBuilder admin)
    {
        admin.MapPost("/", CreateProvider.HandleAsync)
            .WithTags("Operator: listings").WithName("CreateProvider")
            .WithExamples(ListingsExamples.CreateRequest, ListingsExamples.Envelopes("create"))
            .WithSummary("List a provider: {slug, name, …any listing field}")
            .Accepts<OperatorFieldsDocument>("application/json")
            .Produces<ListingsEnvelope<ProviderView>>(StatusCodes.Status201Created)
            .Produces<ListingsErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ListingsErrorBody>(StatusCodes.Status409Conflict);

        admin.MapPatch("/{slug}", AdminPatchProvider.HandleAsync)
            .WithTags("Operator: listings").WithName("AdminPatchProvider")
            .WithExamples(ListingsExamples.AdminPatchRequest, ListingsExamples.Envelopes("patch"))
            .WithSummary("Edit any field of a listing, protected ones included")
            .Accepts<OperatorFieldsDocument>("application/json")
            .Produces<ListingsEnvelope<ProviderView>>()
            .Produces<ListingsErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ListingsErrorBody>(StatusCodes.Status404NotFound)
            .Produces<ListingsErrorBody>(StatusCodes.Status409Conflict);

        admin.MapGet("/{slug}/history", GetHistory.HandleAsync)
            .WithTags("Operator: listings").WithName("GetProviderHistory")
            .WithExamples(null, ListingsExamples.Envelopes("history"))
            .WithSummary("Every field change, newest first: field, old, new, source (push|pull|admin), at")
            .Produces<ListingsEnvelope<GetHistory.Response>>()
            .Produces<ListingsErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ListingsErrorBody>(StatusCodes.Status404NotFound)
            .WithParameterRules(
                new ParameterRule("page", Minimum: 1, Maximum: int.MaxValue),
                new ParameterRule("pageSize", Minimum: 1, Maximum: GetHistory.MaxPageSize));

        admin.MapPost("/{slug}/keys", IssueKey.HandleAsync)
            .WithTags("Operator: keys").WithName("IssueProviderKey")
            .WithExamples(null, ListingsExamples.Envelopes("issue"))
            .WithSummary("Generate a provider key (shown in this response only)")
            .Produces<ListingsEnvelope<IssueKey.Response>>(StatusCodes.Status201Created)
            .Produces<ListingsErrorBody>(StatusCodes.Status404NotFound);

        admin.MapGet("/{slug}/keys", ListKeys.HandleAsync)
            .WithTags("Operator: keys").WithName("ListProviderKeys")
            .WithExamples(null, ListingsExamples.Envelopes("keys"))
            .WithSummary("The provider's keys (no secrets) with their last use")
            .Produces<ListingsEnvelope<List<ListKeys.KeyView>>>()
            .Produces<ListingsErrorBody>(StatusCodes.Status404NotFound);

        admin.MapPost("/{slug}/keys/import", ImportKey.HandleAsync)
            .Validate<ImportKey.Request>()
            .WithTags("Operator: keys").WithName("ImportProviderKey")
            .WithExamples("""{"key": "f47ac10b-58cc-4372-a567-0e02b2c3d479"}""", ListingsExamples.Envelopes("import"))
            .WithSummary("Import the provider's own key (32+ characters; only its SHA-256 is stored)")
            .Produces<ListingsEnvelope<ImportKey.Response>>(StatusCodes.Status201Created)
            .Produces<ListingsErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ListingsErrorBody>(StatusCodes.Status404NotFound)
            .Produces<ListingsErrorBody>(StatusCodes.Status409Conflict);

        admin.MapDelete("/{slug}/keys/{id:guid}", RevokeKey.HandleAsync)
            .WithTags("Operator: keys").WithName("RevokeProviderKey")
            .WithSummary("Revoke a key: it stops working on the next request")
            .Produces(StatusCodes.Status204NoContent)
            .Produces<ListingsErrorBody>(StatusCodes.Status404NotFound);

        admin.MapPut("/{slug}/pull", PutPullSettings.HandleAsync)
            .WithTags("Operator: pull sync").WithName("PutPullSettings")
            .WithExamples(ListingsExamples.PullSettingsRequest, ListingsExamples.Envelopes("sync"))
            .WithSummary("Set the pull URL, interval (5–1440 minutes), on/off and an optional field mapping")
            .Produces<ListingsEnvelope<SyncStatusView>>()
            .Produces<ListingsErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ListingsErrorBody>(StatusCodes.Status404NotFound);

        admin.MapGet("/{slug}/pull", GetSyncStatus.HandleAsync)
            .WithTags("Operator: pull sync").WithName("GetPullStatus")
            .WithExamples(null, ListingsExamples.Envelopes("sync"))
            .WithSummary("Pull settings and sync status")
            .Produces<ListingsEnvelope<SyncStatusView>>()
            .Produces<ListingsErrorBody>(StatusCodes.Status404NotFound);

        admin.MapPost("/{slug}/pull/run", RunPull.HandleAsync)
            .WithTags("Operator: pull sync").WithName("RunPull")
            .WithExamples(null, ListingsExamples.Envelopes("run"))
            .WithSummary("Run one pull now and return its result")
            .Produces<ListingsEnvelope<PullRunResult>>()
            .Produces<ListingsErrorBody>(StatusCodes.Status404NotFound)
            .Produces<ListingsErrorBody>(StatusCodes.Status409Conflict);
    }
}
