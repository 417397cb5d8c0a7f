using System.Text.Json.Serialization;

namespace FluxSuite.Metering.ApiKeys;

/// <summary>The new key, the one time it is shown.</summary>
internal sealed record CreatedApiKeyResponse(
    Guid Id,
    string Name,
    string Key,
    string Prefix,
    IReadOnlyList<string> Scopes,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt);
