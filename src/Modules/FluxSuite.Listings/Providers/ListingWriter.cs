using FluxSuite.Listings.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Listings.Providers;

/// <summary>What one write did: the listing as it now is, and the field changes recorded.</summary>
internal sealed record ListingWrite(Provider Provider, IReadOnlyList<ListingChange> Changes);

/// <summary>
/// Writes to one listing in one transaction: the row is locked first (<c>FOR UPDATE</c>), so concurrent
/// writers take turns and each applies its fields to the latest committed state — writes of different
/// fields never undo each other — and the history rows commit together with the change.
/// </summary>
internal sealed class ListingWriter(ListingsDbContext db, TimeProvider clock)
{
    /// <param name="providerId">The listing.</param>
    /// <param name="edit">Applies the write to the locked listing and returns the changes; runs once, inside the transaction.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<ListingWrite?> WriteAsync(
        Guid providerId, Func<Provider, DateTimeOffset, List<ListingChange>> edit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edit);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var provider = (await db.Providers
            .FromSql($"SELECT * FROM listings.providers WHERE id = {providerId} FOR UPDATE")
            .ToListAsync(cancellationToken)).SingleOrDefault();
        if (provider is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var changes = edit(provider, now);
        db.ListingChanges.AddRange(changes);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ListingWrite(provider, changes);
    }
}
