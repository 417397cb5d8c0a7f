using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Listings.Pull;

/// <summary>
/// The sync status of a listing, for operators (<c>GET /admin/providers/{slug}/pull</c>) and for the
/// provider itself with its key (<c>GET /api/providers/{slug}/sync</c>).
/// </summary>
internal static class GetSyncStatus
{
    public static async Task<ApiOk<ListingsEnvelope<SyncStatusView>>> HandleAsync(string slug, ListingsDbContext db, CancellationToken cancellationToken)
    {
        var row = await db.Providers.AsNoTracking()
            .Where(p => p.Slug == slug)
            .Select(p => new { p.Id, p.LastPushAt, p.LastPullAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            throw ListingsResults.NotFound(slug);
        }

        var source = await db.PullSources.AsNoTracking().FirstOrDefaultAsync(s => s.ProviderId == row.Id, cancellationToken);
        return ListingsResults.Ok($"Sync status of provider \"{slug}\"", SyncStatusView.From(slug, source, row.LastPushAt, row.LastPullAt));
    }
}
