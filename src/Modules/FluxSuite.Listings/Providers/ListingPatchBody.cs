using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Json;

namespace FluxSuite.Listings.Providers;

/// <summary>Reads and checks a request body of listing fields: the patch, or the 4xx that names every problem.</summary>
internal static class ListingPatchBody
{
    public static async Task<ListingPatch> ReadAsync(HttpRequest request, PatchMode mode, CancellationToken cancellationToken)
    {
        using var document = await PatchBody.ReadAsync(request, cancellationToken);
        var errors = new FieldErrors();
        var patch = ListingPatch.Read(document.RootElement, mode, errors);
        if (patch is null)
        {
            throw new ApiErrorException(errors.ToApiError());
        }

        return patch.IsEmpty && mode != PatchMode.Create
            ? throw new ApiErrorException(ApiError.Validation("The body has no fields to update: send at least one listing field."))
            : patch;
    }
}
