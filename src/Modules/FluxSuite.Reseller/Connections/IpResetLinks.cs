using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Servers;
using FluxSuite.Reseller.Upstream;
using Microsoft.AspNetCore.Mvc;
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

/// <summary>
/// <c>GET /proxies/{planId}/ip-reset-link</c> hands out a signed, expiring URL for a dedicated mobile plan; calling that URL
/// (GET or POST, no API key) rotates the plan's IP with the same limits as <c>POST /servers/{planId}/rotate-ip</c>, so a
/// reseller can give it to its end user without giving away a key.
/// </summary>
internal static class IpResetLinks
{
    public const int MinExpiresIn = 60;
    public const int MaxExpiresIn = 30 * 24 * 3600;

    internal sealed record LinkResponse(
        [property: JsonPropertyName("plan_id")] Guid PlanId,
        [property: JsonPropertyName("url")] string Url,
        [property: JsonPropertyName("methods")] IReadOnlyList<string> Methods,
        [property: JsonPropertyName("expires_at")] DateTime ExpiresAt,
        [property: JsonPropertyName("expires_in")] long ExpiresIn);

    public static string ResetPath(Mode mode, Guid planId) => $"{ResellerRoutes.BasePath(mode)}/proxies/{planId}/ip-reset";

    public static async Task<ApiOk<Envelope<LinkResponse>>> Create(
        ResellerCaller caller, Guid planId, HttpRequest request, ResellerDbContext db, IpResetLinkSigner signer, TimeProvider clock,
        IOptions<ResellerOptions> options, [FromQuery(Name = "expires_in")] string? expiresIn, CancellationToken cancellationToken)
    {
        var settings = options.Value.IpResetLinks;
        var lifetime = (long)settings.Lifetime.TotalSeconds;
        if (expiresIn is not null
            && (!long.TryParse(expiresIn, NumberStyles.None, CultureInfo.InvariantCulture, out lifetime) || lifetime is < MinExpiresIn or > MaxExpiresIn))
        {
            throw new ApiErrorException(ApiError.InvalidField("expires_in", $"must be whole seconds between {MinExpiresIn} and {MaxExpiresIn} (30 days)."));
        }

        var plan = await ReadPlans.OwnedAsync(db, caller, planId);
        ServerStates.RequireServerProduct(plan, "an IP reset link", Product.DedicatedMobile);
        var now = clock.GetUtcNow();
        if (PlanQueries.StatusAt(plan, now) != PlanStatus.Active)
        {
            throw new ApiErrorException(ApiError.InvalidField("plan_id", $"the plan is {PlanQueries.StatusAt(plan, now)}; reset links are for active plans."));
        }

        // A link never outlives its plan.
        var expires = now.AddSeconds(lifetime);
        if (plan.ExpiresAt is { } planExpires && planExpires < expires)
        {
            expires = planExpires;
        }

        var unix = expires.ToUnixTimeSeconds();
        var signature = await signer.SignAsync(caller.Mode, plan.Id, unix, cancellationToken);
        var origin = settings.PublicBaseUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : $"{request.Scheme}://{request.Host}";
        var url = string.Create(CultureInfo.InvariantCulture, $"{origin}{ResetPath(caller.Mode, plan.Id)}?expires={unix}&signature={signature}");
        return ApiResults.Ok(Envelope.Of(new LinkResponse(plan.Id, url, ["GET", "POST"], expires.UtcDateTime, unix - now.ToUnixTimeSeconds())));
    }

    /// <summary>The link itself: the signature is the credential. A bad or expired link is 401; a suspended account 403.</summary>
    public static async Task<ApiOk<Envelope<RotationResponse>>> Reset(
        Guid planId, [FromQuery] string? expires, [FromQuery] string? signature, HttpContext http, ResellerDbContext db, IpResetLinkSigner signer,
        UpstreamSelector upstreams, TimeProvider clock, IOptions<ResellerOptions> options, CancellationToken cancellationToken)
    {
        var mode = http.Request.Path.StartsWithSegments(ResellerRoutes.SandboxBase, StringComparison.OrdinalIgnoreCase) ? Mode.Test : Mode.Live;
        var now = clock.GetUtcNow();
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var unix) || string.IsNullOrEmpty(signature)
            || !await signer.VerifyAsync(mode, planId, unix, signature, cancellationToken))
        {
            throw new ApiErrorException(ApiError.Unauthorized("Invalid IP reset link: ask for a new one (GET /proxies/{planId}/ip-reset-link)."));
        }

        if (unix <= now.ToUnixTimeSeconds())
        {
            throw new ApiErrorException(ApiError.Unauthorized("This IP reset link has expired: ask for a new one (GET /proxies/{planId}/ip-reset-link)."));
        }

        var owner = await db.Plans.AsNoTracking().Where(p => p.Id == planId && p.Mode == mode)
            .Join(db.Resellers, p => p.ResellerId, r => r.Id, (p, r) => new { Plan = p, ResellerStatus = r.Status })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw ReadPlans.NotFound(planId);
        if (owner.ResellerStatus != ResellerStatus.Active)
        {
            throw new ApiErrorException(ApiError.Forbidden("This reseller account is suspended."));
        }

        if (owner.Plan.SubUserId is { } subUserId
            && await db.SubUsers.AsNoTracking().AnyAsync(s => s.Id == subUserId && s.Status == SubUserStatus.Suspended, cancellationToken))
        {
            throw new ApiErrorException(ApiError.Forbidden("The sub-user of this plan is suspended."));
        }

        var rotation = await ServerActions.RotateAsync(db, owner.Plan, upstreams, options.Value.Servers, now, "link", cancellationToken);
        return ApiResults.Ok(Envelope.Of(rotation));
    }
}
