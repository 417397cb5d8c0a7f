using FluxSuite.Listings.Api;
using FluxSuite.Listings.Keys;
using FluxSuite.Listings.Providers;

namespace FluxSuite.Listings.Push;

/// <summary>
/// <c>PATCH /api/providers/{slug}</c>: the provider updates its own listing. The whole body is checked
/// before anything is written, then applied in one transaction.
/// </summary>
internal static class PatchProvider
{
    public static async Task<IResult> HandleAsync(string slug, HttpContext context, ListingWriter writer, CancellationToken cancellationToken)
    {
        var caller = ProviderKeyAuthentication.Current(context);
        var (document, error) = await JsonBody.ReadAsync(context.Request, cancellationToken);
        if (error is not null)
        {
            return ListingsResults.Error(error);
        }

        using (document)
        {
            var errors = new FieldErrors();
            var patch = ListingPatch.Read(document!.RootElement, PatchMode.Push, errors);
            if (patch is null)
            {
                return ListingsResults.Error(errors.ToApiError());
            }

            if (patch.IsEmpty)
            {
                return ListingsResults.Error(FluxSuite.BuildingBlocks.Errors.ApiError.Validation(
                    "The body has no fields to update: send at least one listing field."));
            }

            var write = await writer.ApplyAsync(caller.ProviderId, patch, ChangeSource.Push, cancellationToken);
            return write is null
                ? ListingsResults.NotFound(slug)
                : ListingsResults.Ok($"Provider \"{write.Provider.Slug}\" updated successfully", ProviderView.From(write.Provider));
        }
    }
}
