using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Validation;
using FluxSuite.Listings.Admin;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Directory;
using FluxSuite.Listings.Keys;
using FluxSuite.Listings.Pull;
using FluxSuite.Listings.Push;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace FluxSuite.Listings;

/// <summary>Every Listings route: the public directory with the provider push API, and the operator routes.</summary>
internal static class ListingsRoutes
{
    /// <summary>The directory's camelCase JSON and its error envelope.</summary>
    public static ApiWireFormat WireFormat { get; } = new(ListingsJson.Options, ListingsErrorFormat.Instance);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        MapDirectory(endpoints.MapGroup("/api/providers").WithGroupName(ListingsModule.DocumentName).WithWireFormat(WireFormat));
        MapOperator(endpoints.MapGroup("/admin/providers").WithGroupName(ListingsModule.DocumentName).WithWireFormat(WireFormat));
    }

    private static void MapDirectory(RouteGroupBuilder api)
    {
        // Conditional requests (ETag / If-None-Match) and the kept pages of DirectoryCache.
        var directory = api.MapGroup(string.Empty).WithTags("Directory").AddEndpointFilter<DirectoryCacheFilter>();
        directory.MapGet("/", ListProviders.HandleAsync)
            .WithName("ListProviders")
            .Produces(StatusCodes.Status304NotModified)
            .WithExamples(null, ListingsExamples.Envelopes("list"))
            .WithSummary("The provider directory: filters, sorts and pages")
            .WithDescription("Demo listings are hidden unless includeDemo=true. sort: rating (default), price (with tier), totalNodes, " +
                             "uptimePercentage, name, updatedAt; order: asc|desc. Listings without the sorted value come last.")
            .ProducesErrors(StatusCodes.Status400BadRequest)
            .WithParameterRules(
                [.. new[] { "verified", "acceptsFlux", "acceptsStripe", "acceptsFiat", "includeDemo" }.Select(flag => new ParameterRule(flag, AllowedValues: ["true", "false"])),
                 new ParameterRule("sort", AllowedValues: ListProviders.Sorts),
                 new ParameterRule("order", AllowedValues: ["asc", "desc"]),
                 new ParameterRule("page", Minimum: 1, Maximum: int.MaxValue, Type: "integer"),
                 new ParameterRule("pageSize", Minimum: 1, Maximum: ListProviders.MaxPageSize, Type: "integer")]);

        directory.MapGet("/{slug}", GetProvider.HandleAsync)
            .WithName("GetProvider")
            .Produces(StatusCodes.Status304NotModified)
            .WithExamples(null, ListingsExamples.Envelopes("get"))
            .WithSummary("One listing")
            .ProducesErrors(StatusCodes.Status404NotFound);

        var push = api.MapGroup(string.Empty).WithTags("Provider API")
            .RequireAuthorization(ProviderKeyAuthentication.Policy)
            .WithSecurityScheme(ProviderKeyAuthentication.SchemeId)
            .ProducesErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);
        push.MapPatch("/{slug}", PatchProvider.HandleAsync)
            // Its write checks the key in the same statement: one round trip for a valid push.
            .WithMetadata(ProviderKeyCheckedByWrite.Instance)
            .WithName("PatchProvider")
            .WithExamples(ListingsExamples.PartialUpdate, ListingsExamples.Envelopes("patch"))
            .WithSummary("Update your listing (push)")
            .WithDescription("Partial update: fields present are set, absent ones are left alone, null clears an optional field, and " +
                             "tiers, languages and supportChannels are replaced whole. The body is checked whole and applied in one " +
                             "transaction. Protected fields (slug, fluxLabsPartner, verified, isDemo, rating, reviewCount) cannot be updated via the API.")
            .Accepts<ProviderFieldsDocument>("application/json")
            .ProducesErrors(StatusCodes.Status400BadRequest);

        push.MapGet("/{slug}/sync", GetSyncStatus.HandleAsync)
            .WithName("GetProviderSyncStatus")
            .WithExamples(null, ListingsExamples.Envelopes("sync"))
            .WithSummary("Your listing's sync status: pull runs, errors, fields push owns");
    }

    private static void MapOperator(RouteGroupBuilder admin)
    {
        var listings = admin.MapGroup(string.Empty).WithTags("Operator: listings");
        listings.MapPost("/", CreateProvider.HandleAsync)
            .WithName("CreateProvider")
            .WithExamples(ListingsExamples.CreateRequest, ListingsExamples.Envelopes("create"))
            .WithSummary("List a provider: {slug, name, …any listing field}")
            .Accepts<OperatorFieldsDocument>("application/json")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);

        listings.MapPatch("/{slug}", AdminPatchProvider.HandleAsync)
            .WithName("AdminPatchProvider")
            .WithExamples(ListingsExamples.AdminPatchRequest, ListingsExamples.Envelopes("patch"))
            .WithSummary("Edit any field of a listing, protected ones included")
            .Accepts<OperatorFieldsDocument>("application/json")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        listings.MapGet("/{slug}/history", GetHistory.HandleAsync)
            .WithName("GetProviderHistory")
            .WithExamples(null, ListingsExamples.Envelopes("history"))
            .WithSummary("Every field change, newest first: field, old, new, source (push|pull|admin), at")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithParameterRules(
                new ParameterRule("page", Minimum: 1, Maximum: int.MaxValue),
                new ParameterRule("pageSize", Minimum: 1, Maximum: GetHistory.MaxPageSize));

        var keys = admin.MapGroup("/{slug}/keys").WithTags("Operator: keys");
        keys.MapPost("/", IssueKey.HandleAsync)
            .WithName("IssueProviderKey")
            .WithExamples(null, ListingsExamples.Envelopes("issue"))
            .WithSummary("Generate a provider key (shown in this response only)")
            .ProducesErrors(StatusCodes.Status404NotFound);

        keys.MapGet("/", ListKeys.HandleAsync)
            .WithName("ListProviderKeys")
            .WithExamples(null, ListingsExamples.Envelopes("keys"))
            .WithSummary("The provider's keys (no secrets) with their last use")
            .ProducesErrors(StatusCodes.Status404NotFound);

        keys.MapPost("/import", ImportKey.HandleAsync)
            .Validate<ImportKey.Request>()
            .WithName("ImportProviderKey")
            .WithExamples("""{"key": "f47ac10b-58cc-4372-a567-0e02b2c3d479"}""", ListingsExamples.Envelopes("import"))
            .WithSummary("Import the provider's own key (32+ characters; only its SHA-256 is stored)")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        keys.MapDelete("/{id:guid}", RevokeKey.HandleAsync)
            .WithName("RevokeProviderKey")
            .WithSummary("Revoke a key: it stops working on the next request")
            .ProducesErrors(StatusCodes.Status404NotFound);

        var pull = admin.MapGroup("/{slug}/pull").WithTags("Operator: pull sync");
        pull.MapPut("/", PutPullSettings.HandleAsync)
            .WithName("PutPullSettings")
            .WithExamples(ListingsExamples.PullSettingsRequest, ListingsExamples.Envelopes("sync"))
            .WithSummary("Set the pull URL, interval (5–1440 minutes), on/off and an optional field mapping")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        pull.MapGet("/", GetSyncStatus.HandleAsync)
            .WithName("GetPullStatus")
            .WithExamples(null, ListingsExamples.Envelopes("sync"))
            .WithSummary("Pull settings and sync status")
            .ProducesErrors(StatusCodes.Status404NotFound);

        pull.MapPost("/run", RunPull.HandleAsync)
            .WithName("RunPull")
            .WithExamples(null, ListingsExamples.Envelopes("run"))
            .WithSummary("Run one pull now and return its result")
            .ProducesErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
    }
}
