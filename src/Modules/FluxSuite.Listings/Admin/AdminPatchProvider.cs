using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Data;
using FluxSuite.Listings.Providers;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace FluxSuite.Listings.Admin;

/// <summary><c>PATCH /admin/providers/{slug}</c>: an operator edits any field, the protected ones (and the slug) included.</summary>
internal static class AdminPatchProvider
{
    public static async Task<IResult> HandleAsync(
        string slug, HttpContext context, ListingsDbContext db, ListingWriter writer, CancellationToken cancellationToken)
    {
        var providerId = await ProviderIds.FindAsync(db, slug, cancellationToken);
        if (providerId is null)
        {
            return ListingsResults.NotFound(slug);
        }

        var (document, error) = await JsonBody.ReadAsync(context.Request, cancellationToken);
        if (error is not null)
        {
            return ListingsResults.Error(error);
        }

        using (document)
        {
            var errors = new FieldErrors();
            var patch = ListingPatch.Read(document!.RootElement, PatchMode.Admin, errors);
            if (patch is null)
            {
                return ListingsResults.Error(errors.ToApiError());
            }

            if (patch.IsEmpty)
            {
                return ListingsResults.Error(ApiError.Validation("The body has no fields to update: send at least one listing field."));
            }

            try
            {
                var write = await writer.ApplyAsync(providerId.Value, patch, ChangeSource.Admin, cancellationToken);
                return write is null
                    ? ListingsResults.NotFound(slug)
                    : ListingsResults.Ok($"Provider \"{write.Provider.Slug}\" updated successfully", ProviderView.From(write.Provider));
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                return ListingsResults.Error(CreateProvider.SlugTaken((string)patch.Find("slug")!.Value!));
            }
        }
    }
}
