using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Keys;
using FluxSuite.Listings.Providers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FluxSuite.Listings.Push;

/// <summary>
/// <c>PATCH /api/providers/{slug}</c>: the provider updates its own listing. The whole body is checked
/// before anything is written, then applied in one statement that checks the provider key too
/// (<see cref="ProviderKeyCheckedByWrite"/>): one round trip for a valid push, shared with the other pushes
/// written at the same time (<see cref="PushWriteQueue"/>). A body that is refused is
/// answered only once the key is known good, so a caller without a valid key learns nothing about it.
/// </summary>
internal static class PatchProvider
{
    public static async Task<Results<ApiOk<ListingsEnvelope<ProviderView>>, ChallengeHttpResult, ForbidHttpResult>> HandleAsync(
        string slug, HttpContext context, PushWriteQueue pushes, ProviderKeyLookup keys, CancellationToken cancellationToken)
    {
        var key = PendingProviderKey.Of(context);
        ListingPatch patch;
        try
        {
            patch = await ListingPatchBody.ReadAsync(context.Request, PatchMode.Push, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The rare path: the key on its own round trip first, as the handler would have looked it up.
            var verdict = await keys.CheckAsync(key.KeyHash, slug, context);
            if (verdict != ProviderKeyVerdict.Valid)
            {
                return key.Refuse<ApiOk<ListingsEnvelope<ProviderView>>>(verdict);
            }

            throw;
        }

        var written = await pushes.WriteAsync(key.KeyHash, slug, patch);
        if (written.Key != ProviderKeyVerdict.Valid)
        {
            return key.Refuse<ApiOk<ListingsEnvelope<ProviderView>>>(written.Key);
        }

        return written.Write is { } write
            ? ListingsResults.Ok($"Provider \"{write.Provider.Slug}\" updated successfully", ProviderView.From(write.Provider))
            : throw ListingsResults.NotFound(slug);
    }
}
