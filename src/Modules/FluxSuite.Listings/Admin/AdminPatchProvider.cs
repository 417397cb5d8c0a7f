using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Data;
using FluxSuite.Listings.Providers;
using Npgsql;

namespace FluxSuite.Listings.Admin;

/// <summary><c>PATCH /admin/providers/{slug}</c>: an operator edits any field, the protected ones (and the slug) included.</summary>
internal static class AdminPatchProvider
{
    public static async Task<ApiOk<ListingsEnvelope<ProviderView>>> HandleAsync(
        string slug, HttpContext context, ListingsDbContext db, ListingPatchWriter writer, CancellationToken cancellationToken)
    {
        var providerId = await ProviderIds.FindAsync(db, slug, cancellationToken);
        if (providerId is null)
        {
            throw ListingsResults.NotFound(slug);
        }

        var patch = await ListingPatchBody.ReadAsync(context.Request, PatchMode.Admin, cancellationToken);

        try
        {
            var write = await writer.ApplyAsync(providerId.Value, patch, ChangeSource.Admin, cancellationToken);
            return write is null
                ? throw ListingsResults.NotFound(slug)
                : ListingsResults.Ok($"Provider \"{write.Provider.Slug}\" updated successfully", ProviderView.From(write.Provider));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ApiErrorException(CreateProvider.SlugTaken((string)patch.Find("slug")!.Value!));
        }
    }
}
