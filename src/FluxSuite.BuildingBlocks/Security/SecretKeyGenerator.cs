using System.Security.Cryptography;

namespace FluxSuite.BuildingBlocks.Security;

/// <summary>Generates API keys: a recognisable prefix followed by random base62 characters.</summary>
public static class SecretKeyGenerator
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>
    /// 43 base62 characters carry 256 bits of entropy, the same as the SHA-256 digest they are stored as.
    /// </summary>
    public const int DefaultRandomLength = 43;

    public static string Generate(string prefix, int randomLength = DefaultRandomLength)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(randomLength, 16);
        return prefix + RandomNumberGenerator.GetString(Base62, randomLength);
    }

    /// <summary>The first characters of a key, safe to show in listings so users can tell keys apart.</summary>
    public static string DisplayPrefix(string key, int visibleRandomCharacters = 4)
    {
        ArgumentNullException.ThrowIfNull(key);
        var cut = key.LastIndexOf('_') + 1 + visibleRandomCharacters;
        return key[..Math.Min(cut, key.Length)];
    }
}
