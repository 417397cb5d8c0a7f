using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Data;
using FluxSuite.Listings.Providers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Listings.Keys;

/// <summary>
/// <c>DELETE /admin/providers/{slug}/keys/{id}</c>: the key stops working on the next request (keys are
/// not cached). The row stays, revoked, so its history of use is kept.
/// </summary>
internal static class RevokeKey
{
    public static async Task<NoContent> HandleAsync(string slug, Guid id, ListingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var providerId = await ProviderIds.FindAsync(db, slug, cancellationToken);
        if (providerId is null)
        {
            throw ListingsResults.NotFound(slug);
        }

        var now = clock.GetUtcNow();
        var found = await db.ProviderKeys.AnyAsync(k => k.Id == id && k.ProviderId == providerId, cancellationToken);
        if (!found)
        {
            throw new ApiErrorException(ApiError.NotFound($"Provider \"{slug}\" has no key {id}."));
        }

        await db.ProviderKeys
            .Where(k => k.Id == id && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), cancellationToken);
        return TypedResults.NoContent();
    }
}
