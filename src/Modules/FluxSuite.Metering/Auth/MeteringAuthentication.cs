using System.Security.Claims;
using System.Text.Encodings.Web;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Npgsql;

namespace FluxSuite.Metering.Auth;

/// <summary>
/// The module's two kinds of caller: dashboard users (JWT in the <c>access_token</c> cookie or
/// <c>Authorization: Bearer</c>) and SDK keys (<c>X-API-Key</c>). Neither scheme is the default; the
/// module's routes name their policy.
/// </summary>
internal static class MeteringAuthentication
{
    public const string UserScheme = "MeteringUser";
    public const string ApiKeyScheme = "MeteringApiKey";
    public const string UsageReaderScheme = "MeteringUsageReader";

    public const string UserPolicy = "metering.user";
    public const string UsageReaderPolicy = "metering.usage-reader";

    public const string ApiKeyHeader = "X-API-Key";
    public const string KindClaim = "kind";
    public const string ScopeClaim = "scope";
    public const string KeyIdClaim = "key_id";

    public const string UsageWrite = "usage.write";
    public const string UsageRead = "usage.read";

    public static readonly ApiSecurityScheme CookieSecurity = new(
        "MeteringCookie", ApiSecuritySchemeKind.Cookie, AccessTokens.CookieName,
        "The access_token cookie set by POST /metering/api/v1/auth/signup or /auth/login.");

    public static readonly ApiSecurityScheme BearerSecurity = new(
        "MeteringBearer", ApiSecuritySchemeKind.BearerToken, "Authorization",
        "The access_token returned by signup or login, sent as Authorization: Bearer <token>.");

    public static readonly ApiSecurityScheme ApiKeySecurity = new(
        "MeteringApiKey", ApiSecuritySchemeKind.ApiKeyHeader, ApiKeyHeader,
        "An SDK key org_live_… created with POST /metering/api/v1/api-keys (scopes usage.write, usage.read).");

    public static IServiceCollection AddMeteringAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, UserAuthenticationHandler>(UserScheme, null)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, null)
            .AddPolicyScheme(UsageReaderScheme, null, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyHeader) ? ApiKeyScheme : UserScheme);
        services.AddAuthorizationBuilder()
            .AddPolicy(UserPolicy, p => p.AddAuthenticationSchemes(UserScheme).RequireAuthenticatedUser())
            .AddPolicy(UsageReaderPolicy, p => p.AddAuthenticationSchemes(UsageReaderScheme).RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.HasClaim(KindClaim, "user") || c.User.HasClaim(ScopeClaim, UsageRead)));
        return services;
    }

    public static Guid OrganizationId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(AccessTokens.OrganizationClaim)
                   ?? throw new InvalidOperationException("The caller has no organization claim; is the route missing its policy?"));

    public static Guid UserId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(JwtRegisteredClaimNames.Sub)!);

    public static Guid SessionId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(AccessTokens.SessionClaim)!);
}

/// <summary>Accepts the JWT from <c>Authorization: Bearer</c> or the <c>access_token</c> cookie, if its session is still open.</summary>
internal sealed class UserAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccessTokens tokens,
    NpgsqlDataSource dataSource,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken.From(Request) ?? Request.Cookies[AccessTokens.CookieName];
        if (string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        var (identity, problem) = await tokens.ValidateAsync(token);
        if (identity is null)
        {
            return AuthenticateResult.Fail(problem!);
        }

        if (!Guid.TryParse(identity.FindFirst(AccessTokens.SessionClaim)?.Value, out var sessionId)
            || !Guid.TryParse(identity.FindFirst(AccessTokens.OrganizationClaim)?.Value, out _))
        {
            return AuthenticateResult.Fail("The access token is not valid.");
        }

        await using var command = dataSource.CreateCommand(
            "SELECT 1 FROM metering.user_sessions WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2");
        command.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        if (await command.ExecuteScalarAsync(Context.RequestAborted) is null)
        {
            return AuthenticateResult.Fail("The session has ended (logged out or expired): log in again.");
        }

        var principal = new ClaimsIdentity(identity.Claims.Append(new Claim(MeteringAuthentication.KindClaim, "user")), Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(principal), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var message = result.Failure?.Message
                      ?? "Authentication is required: send the access_token cookie from signup or login, or Authorization: Bearer <token>.";
        await ApiErrorWriter.WriteAsync(Context, ApiError.Unauthorized(message));
    }
}

/// <summary>Accepts an SDK key from <c>X-API-Key</c>, looked up by its SHA-256; its scopes become claims.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyLookup keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (SdkKey.From(Request) is not { } presented)
        {
            return AuthenticateResult.NoResult();
        }

        var key = await keys.FindAsync(presented.Value, Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail(ApiKeyLookup.InvalidKeyMessage);
        }

        var claims = new List<Claim>
        {
            new(MeteringAuthentication.KindClaim, "api_key"),
            new(MeteringAuthentication.KeyIdClaim, key.Id.ToString()),
            new(AccessTokens.OrganizationClaim, key.OrganizationId.ToString()),
        };
        claims.AddRange(key.Scopes.Select(s => new Claim(MeteringAuthentication.ScopeClaim, s)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name)), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await ApiErrorWriter.WriteAsync(Context, ApiError.Unauthorized(result.Failure?.Message ?? ApiKeyLookup.MissingKeyMessage));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiErrorWriter.WriteAsync(Context, ApiError.Forbidden($"This API key lacks the {MeteringAuthentication.UsageRead} scope."));
}

/// <summary>Finds an active key by the SHA-256 of what was presented, and notes its use (at most once a minute).</summary>
internal sealed class ApiKeyLookup(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const string MissingKeyMessage = "An API key is required: send it in the X-API-Key header.";
    public const string InvalidKeyMessage = "The API key is not valid or has been revoked.";

    /// <summary>
    /// The SQL that both this lookup and the track statement use to find and touch a key (parameters $1 hash, $2 now).
    /// The touch is <see cref="KeyLastUse"/>'s rule (at most one write a minute per key), folded into the lookup so
    /// the SDK's hot path makes one round trip.
    /// </summary>
    public const string KeyCte =
        """
        k AS (SELECT id, organization_id, scopes FROM metering.api_keys WHERE key_hash = $1 AND revoked_at IS NULL),
        touched AS (UPDATE metering.api_keys a SET last_used_at = $2 FROM k
                    WHERE a.id = k.id AND (a.last_used_at IS NULL OR a.last_used_at < $2 - interval '1 minute'))
        """;

    public sealed record Key(Guid Id, Guid OrganizationId, string[] Scopes);

    public async Task<Key?> FindAsync(string presented, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"WITH {KeyCte} SELECT id, organization_id, scopes FROM k");
        command.Parameters.Add(new NpgsqlParameter { Value = KeyHash.Sha256Hex(presented) });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Key(reader.GetGuid(0), reader.GetGuid(1), reader.GetFieldValue<string[]>(2))
            : null;
    }
}
