using System.Security.Cryptography;
using System.Text;

namespace FluxSuite.BuildingBlocks.Security;

/// <summary>
/// Keys are stored and compared only as SHA-256 digests: a database dump never reveals a usable key,
/// and a lookup by digest is an ordinary indexed equality.
/// </summary>
public static class KeyHash
{
    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes (64 characters).</summary>
    public static string Sha256Hex(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>
    /// Compares a presented secret with an expected one in time that does not depend on where they
    /// differ. Both are hashed first so that their lengths do not leak either.
    /// </summary>
    public static bool FixedTimeEquals(string? presented, string expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (presented is null)
        {
            return false;
        }

        Span<byte> a = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> b = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
