using FluxSuite.Listings.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Listings.Providers;

/// <summary>Resolves a slug from a route to the listing's id.</summary>
internal static class ProviderIds
{
    private static readonly Func<ListingsDbContext, string, CancellationToken, Task<Guid?>> BySlug =
        EF.CompileAsyncQuery((ListingsDbContext db, string slug, CancellationToken _) =>
            db.Providers.AsNoTracking().Where(p => p.Slug == slug).Select(p => (Guid?)p.Id).FirstOrDefault());

    public static Task<Guid?> FindAsync(ListingsDbContext db, string slug, CancellationToken cancellationToken) =>
        BySlug(db, slug, cancellationToken);
}
