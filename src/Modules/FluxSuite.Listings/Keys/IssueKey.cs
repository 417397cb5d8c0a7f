using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Security;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Data;
using FluxSuite.Listings.Providers;

namespace FluxSuite.Listings.Keys;

/// <summary><c>POST /admin/providers/{slug}/keys</c>: a new random key, shown in this response only.</summary>
internal static class IssueKey
{
    internal sealed record Response(Guid Id, string Key, DateTimeOffset CreatedAt);

    public static async Task<ApiCreated<ListingsEnvelope<Response>>> HandleAsync(string slug, ListingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var providerId = await ProviderIds.FindAsync(db, slug, cancellationToken);
        if (providerId is null)
        {
            throw ListingsResults.NotFound(slug);
        }

        var key = SecretKeyGenerator.Generate(ProviderKey.GeneratedPrefix);
        var now = clock.GetUtcNow();
        var row = new ProviderKey
        {
            Id = Guid.CreateVersion7(now),
            ProviderId = providerId.Value,
            KeyHash = KeyHash.Sha256Hex(key),
            Origin = KeyOrigin.Generated,
            CreatedAt = now,
        };
        db.ProviderKeys.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return ListingsResults.Created($"/admin/providers/{slug}/keys/{row.Id}",
            $"API key created for provider \"{slug}\". Store it now: it is not shown again.",
            new Response(row.Id, key, row.CreatedAt));
    }
}
