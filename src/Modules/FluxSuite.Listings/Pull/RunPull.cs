using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Data;
using FluxSuite.Listings.Providers;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Listings.Pull;

/// <summary>
/// <c>POST /admin/providers/{slug}/pull/run</c>: one pull now, whether or not the source is enabled or
/// due, recorded like a scheduled one (a failure counts towards the backoff).
/// </summary>
internal static class RunPull
{
    public static async Task<ApiOk<ListingsEnvelope<PullRunResult>>> HandleAsync(string slug, ListingsDbContext db, PullRunner runner, CancellationToken cancellationToken)
    {
        var providerId = await ProviderIds.FindAsync(db, slug, cancellationToken);
        if (providerId is null)
        {
            throw ListingsResults.NotFound(slug);
        }

        if (!await db.PullSources.AnyAsync(s => s.ProviderId == providerId, cancellationToken))
        {
            throw new ApiErrorException(ApiError.NotFound(
                $"Provider \"{slug}\" has no pull settings: set them with PUT /admin/providers/{slug}/pull first."));
        }

        if (!await runner.TryClaimAsync(providerId.Value, cancellationToken))
        {
            throw new ApiErrorException(ApiError.Conflict($"A pull for provider \"{slug}\" is running now; try again when it has finished."));
        }

        var result = await runner.RunClaimedAsync(providerId.Value, cancellationToken);
        return result is null
            ? throw ListingsResults.NotFound(slug)
            : ListingsResults.Ok($"Pull of provider \"{slug}\": {result.Outcome}", result);
    }
}
