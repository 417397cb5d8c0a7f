using System.Text.Json.Serialization;
using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.ApiKeys;

internal sealed record ApiKeyResponse(
    Guid Id,
    string Name,
    string Prefix,
    IReadOnlyList<string> Scopes,
    string Status,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("last_used_at")] DateTimeOffset? LastUsedAt,
    [property: JsonPropertyName("revoked_at")] DateTimeOffset? RevokedAt)
{
    public static ApiKeyResponse From(ApiKey k) =>
        new(k.Id, k.Name, k.Prefix, k.Scopes, k.RevokedAt is null ? "active" : "revoked", k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}
