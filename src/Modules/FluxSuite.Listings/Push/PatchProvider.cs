using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Keys;
using FluxSuite.Listings.Providers;

namespace FluxSuite.Listings.Push;

/// <summary>
/// <c>PATCH /api/providers/{slug}</c>: the provider updates its own listing. The whole body is checked
/// before anything is written, then applied in one statement.
/// </summary>
internal static class PatchProvider
{
    public static async Task<ApiOk<ListingsEnvelope<ProviderView>>> HandleAsync(string slug, HttpContext context, ListingPatchWriter writer, CancellationToken cancellationToken)
    {
        var caller = AuthenticatedProvider.From(context.User) ?? throw new InvalidOperationException("The route is missing the provider key policy.");
        var patch = await ListingPatchBody.ReadAsync(context.Request, PatchMode.Push, cancellationToken);

        var write = await writer.ApplyAsync(caller.ProviderId, patch, ChangeSource.Push, cancellationToken);
        return write is null
            ? throw ListingsResults.NotFound(slug)
            : ListingsResults.Ok($"Provider \"{write.Provider.Slug}\" updated successfully", ProviderView.From(write.Provider));
    }
}
