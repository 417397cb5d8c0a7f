using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Data;
using FluxSuite.Listings.Providers;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Listings.Keys;

/// <summary>
/// <c>GET /admin/providers/{slug}/keys</c>: the provider's keys without their secrets, with when each was
/// last used, so an operator can see that a rotated-out key is idle before revoking it.
/// </summary>
internal static class ListKeys
{
    internal sealed record KeyView(Guid Id, string Origin, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, bool Active);

    public static async Task<ApiOk<ListingsEnvelope<List<KeyView>>>> HandleAsync(string slug, ListingsDbContext db, CancellationToken cancellationToken)
    {
        var providerId = await ProviderIds.FindAsync(db, slug, cancellationToken);
        if (providerId is null)
        {
            throw ListingsResults.NotFound(slug);
        }

        var keys = await db.ProviderKeys.AsNoTracking()
            .Where(k => k.ProviderId == providerId)
            .OrderBy(k => k.CreatedAt).ThenBy(k => k.Id)
            .Select(k => new KeyView(k.Id, k.Origin, k.CreatedAt, k.LastUsedAt, k.RevokedAt, k.RevokedAt == null))
            .ToListAsync(cancellationToken);
        return ListingsResults.Ok($"Keys of provider \"{slug}\"", keys);
    }
}
