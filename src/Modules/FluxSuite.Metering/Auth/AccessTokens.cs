using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FluxSuite.Metering.Auth;

/// <summary>The dashboard's signed JWT (HS256): who the user is, their organization and their session.</summary>
internal sealed class AccessTokens(IOptions<JwtOptions> options, TimeProvider clock)
{
    public const string CookieName = "access_token";
    public const string OrganizationClaim = "org";
    public const string SessionClaim = "sid";

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly SymmetricSecurityKey _key = new(Encoding.UTF8.GetBytes(options.Value.SigningKey));
    private readonly JwtOptions _options = options.Value;

    public TimeSpan Lifetime => _options.Lifetime;

    public string Issue(Guid userId, Guid organizationId, string email, Guid sessionId, DateTimeOffset expiresAt)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Issuer,
            IssuedAt = now,
            NotBefore = now,
            Expires = expiresAt.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = userId.ToString(),
                [JwtRegisteredClaimNames.Email] = email,
                [OrganizationClaim] = organizationId.ToString(),
                [SessionClaim] = sessionId.ToString(),
            },
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The token's claims, or why it is not acceptable.</summary>
    public async Task<(ClaimsIdentity? Identity, string? Problem)> ValidateAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.Issuer,
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.Zero,
            // Lifetime is checked against the injected clock below, not the system clock.
            ValidateLifetime = false,
        });
        if (!result.IsValid)
        {
            return (null, "The access token is not valid.");
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        if (jwt.ValidTo <= clock.GetUtcNow().UtcDateTime)
        {
            return (null, "The access token has expired: log in again.");
        }

        return (result.ClaimsIdentity, null);
    }
}
