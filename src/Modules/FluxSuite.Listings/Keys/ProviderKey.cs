namespace FluxSuite.Listings.Keys;

/// <summary>
/// A key a provider authenticates with. Only its SHA-256 digest is stored. A provider may hold several
/// active keys at once, so a new key can be rolled out before the old one is revoked.
/// </summary>
internal sealed class ProviderKey
{
    public const string GeneratedPrefix = "flxp_";
    public const int MinImportedLength = 32;
    public const int MaxImportedLength = 512;

    public Guid Id { get; set; }

    public Guid ProviderId { get; set; }

    /// <summary>Lower-case hex SHA-256 of the key.</summary>
    public string KeyHash { get; set; } = string.Empty;

    /// <summary><c>generated</c> (made here, shown once) or <c>imported</c> (the provider's own).</summary>
    public string Origin { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

internal static class KeyOrigin
{
    public const string Generated = "generated";
    public const string Imported = "imported";
}
