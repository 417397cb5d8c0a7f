using FluxSuite.Listings.Providers;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Listings.Data;

/// <summary>
/// The price of one tier inside a listing's <c>tiers</c> document, for the directory's tier filter and price sort:
/// PostgreSQL's <c>listings.tier_price(tiers, tier)</c> (made by the migration <c>ReadTierPricesWhenSorting</c>), an
/// immutable SQL function the planner inlines into the query. It is computed when a directory page is read, not
/// stored with every write of a listing.
/// </summary>
internal static class TierPrices
{
    /// <summary>Maps <see cref="Of"/> to <c>listings.tier_price</c>.</summary>
    public static void Map(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.HasDbFunction(typeof(TierPrices).GetMethod(nameof(Of))!)
            .HasName("tier_price")
            .HasSchema(ListingsDbContext.Schema)
            .HasParameter("tiers", parameter => parameter.HasStoreType("jsonb"));
    }

    /// <summary>In a query: the price of <paramref name="tier"/> in <paramref name="tiers"/>, null when it has no such tier.</summary>
    public static decimal? Of(List<PricingTier> tiers, string tier) =>
        throw new InvalidOperationException($"{nameof(TierPrices)}.{nameof(Of)} runs in PostgreSQL, inside a query.");
}
