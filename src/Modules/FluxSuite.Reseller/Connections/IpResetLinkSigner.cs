using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Connections;

/// <summary>
/// Signs and checks IP reset links: HMAC-SHA256 over the mode, the plan and the expiry, with the configured key
/// (<c>Reseller:IpResetLinks:SigningKey</c>) or else one made once and kept in the database, so every instance
/// checks every link. The link carries its signature in the query string, which the host never logs.
/// </summary>
internal sealed class IpResetLinkSigner(IServiceScopeFactory scopes, IOptions<ResellerOptions> options, TimeProvider clock)
{
    private const string KeyName = "ip-reset-links";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[]? _key;

    public async Task<string> SignAsync(Mode mode, Guid planId, long expires, CancellationToken cancellationToken) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(await KeyAsync(cancellationToken), Payload(mode, planId, expires)));

    public async Task<bool> VerifyAsync(Mode mode, Guid planId, long expires, string signature, CancellationToken cancellationToken)
    {
        byte[] given;
        try
        {
            given = WebEncoders.Base64UrlDecode(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(await KeyAsync(cancellationToken), Payload(mode, planId, expires));
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static byte[] Payload(Mode mode, Guid planId, long expires) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"ip-reset:{mode.WireName()}:{planId:N}:{expires}"));

    private async Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        if (_key is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _key ??= await LoadAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<byte[]> LoadAsync(CancellationToken cancellationToken)
    {
        if (options.Value.IpResetLinks.SigningKey is { Length: > 0 } configured)
        {
            var key = Convert.FromBase64String(configured);
            return key.Length >= 32 ? key : throw new InvalidOperationException("Reseller:IpResetLinks:SigningKey must be at least 32 bytes (base64).");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ResellerDbContext>();
        var fresh = RandomNumberGenerator.GetBytes(32);
        var now = clock.GetUtcNow();
        // The first instance to get here makes the key; every other one reads the same key.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO reseller.signing_keys (name, key, created_at) VALUES ({KeyName}, {fresh}, {now}) ON CONFLICT (name) DO NOTHING
            """, cancellationToken);
        return await db.SigningKeys.AsNoTracking().Where(k => k.Name == KeyName).Select(k => k.Key).SingleAsync(cancellationToken);
    }
}
