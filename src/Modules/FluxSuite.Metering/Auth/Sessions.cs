using System.Text.Json.Serialization;
using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Auth;

internal sealed record UserResponse(Guid Id, string Email, [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt);

internal sealed record OrganizationResponse(Guid Id, string Name, [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt)
{
    public static OrganizationResponse From(Organization o) => new(o.Id, o.Name, o.CreatedAt);
}

/// <summary>What signup and login answer: who is signed in, and the token (also set as the access_token cookie).</summary>
internal sealed record SessionResponse(
    UserResponse User,
    OrganizationResponse Organization,
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt);

/// <summary>Opens a session for a user and hands its token over as a cookie and in the body.</summary>
internal sealed class Sessions(MeteringDbContext db, AccessTokens tokens, TimeProvider clock)
{
    public async Task<SessionResponse> OpenAsync(HttpContext http, User user, Organization organization, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var session = new UserSession
        {
            Id = Guid.CreateVersion7(),
            UserId = user.Id,
            OrganizationId = organization.Id,
            CreatedAt = now,
            ExpiresAt = now + tokens.Lifetime,
        };
        db.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        var token = tokens.Issue(user.Id, organization.Id, user.Email, session.Id, session.ExpiresAt);
        http.Response.Cookies.Append(AccessTokens.CookieName, token, CookieOptions(http, tokens.Lifetime));
        return new SessionResponse(
            new UserResponse(user.Id, user.Email, user.CreatedAt), OrganizationResponse.From(organization), token, "Bearer", session.ExpiresAt);
    }

    /// <summary>Max-Age rather than Expires: a client whose clock differs from ours still keeps the cookie for the token's lifetime.</summary>
    public static CookieOptions CookieOptions(HttpContext http, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = http.Request.IsHttps,
        Path = MeteringModule.BasePath,
        MaxAge = maxAge,
    };
}
