using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Data;
using FluxSuite.Listings.Providers;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Listings.Directory;

/// <summary><c>GET /api/providers/{slug}</c>: one listing (demo listings included: they are reachable by their slug).</summary>
internal static class GetProvider
{
    public static async Task<ApiOk<ListingsEnvelope<ProviderView>>> HandleAsync(string slug, ListingsDbContext db, CancellationToken cancellationToken)
    {
        var provider = await db.Providers.AsNoTracking().FirstOrDefaultAsync(p => p.Slug == slug, cancellationToken);
        return provider is null
            ? throw ListingsResults.NotFound(slug)
            : ListingsResults.Ok($"Provider \"{slug}\" retrieved successfully", ProviderView.From(provider));
    }
}
