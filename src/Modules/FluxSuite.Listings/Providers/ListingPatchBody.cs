using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Listings.Api;

namespace FluxSuite.Listings.Providers;

/// <summary>Reads and checks a request body of listing fields: the patch, or the 4xx that names every problem.</summary>
internal static class ListingPatchBody
{
    public static async Task<(ListingPatch? Patch, ApiError? Error)> ReadAsync(HttpRequest request, PatchMode mode, CancellationToken cancellationToken)
    {
        var (document, error) = await JsonBody.ReadAsync(request, cancellationToken);
        if (error is not null)
        {
            return (null, error);
        }

        using (document)
        {
            var errors = new FieldErrors();
            var patch = ListingPatch.Read(document!.RootElement, mode, errors);
            if (patch is null)
            {
                return (null, errors.ToApiError());
            }

            return patch.IsEmpty && mode != PatchMode.Create
                ? (null, ApiError.Validation("The body has no fields to update: send at least one listing field."))
                : (patch, null);
        }
    }
}
