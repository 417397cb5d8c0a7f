using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Accounts;

/// <summary><c>GET /admin/resellers/{id}/keys</c>: the reseller's API keys, each with when it was last used.</summary>
internal static class ListResellerKeys
{
    /// <summary>A key as the operator list shows it: never the key itself, only its first characters.</summary>
    [SchemaId("ResellerKeysKeyView")]
    internal sealed record KeyView(
        [property: JsonPropertyName("id")] Guid Id,
        [property: JsonPropertyName("mode")] string Mode,
        [property: JsonPropertyName("key_prefix")] string KeyPrefix,
        [property: JsonPropertyName("created_at")] DateTime CreatedAt,
        [property: JsonPropertyName("last_used_at")] DateTime? LastUsedAt,
        [property: JsonPropertyName("revoked_at")] DateTime? RevokedAt,
        [property: JsonPropertyName("active")] bool Active);

    [SchemaId("ResellerKeysListResponse")]
    internal sealed record ListResponse([property: JsonPropertyName("keys")] IReadOnlyList<KeyView> Keys);

    public static async Task<ApiOk<Envelope<ListResponse>>> Handle(Guid id, ResellerDbContext db, CancellationToken cancellationToken)
    {
        await AdminLookup.RequireResellerAsync(db, id, cancellationToken);
        var keys = await db.Keys.AsNoTracking().Where(k => k.ResellerId == id)
            .OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Id)
            .ToListAsync(cancellationToken);
        return ApiResults.Ok(Envelope.Of(new ListResponse([.. keys.Select(k => new KeyView(
            k.Id, k.Mode.WireName(), k.KeyPrefix, k.CreatedAt.UtcDateTime, k.LastUsedAt?.UtcDateTime, k.RevokedAt?.UtcDateTime, k.RevokedAt is null))])));
    }
}
