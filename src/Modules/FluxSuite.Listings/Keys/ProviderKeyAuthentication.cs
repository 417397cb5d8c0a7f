using System.Security.Claims;
using System.Text.Encodings.Web;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.BuildingBlocks.Security;
using FluxSuite.Listings.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace FluxSuite.Listings.Keys;

/// <summary>The provider a request authenticated as, and with which key.</summary>
internal sealed record AuthenticatedProvider(Guid ProviderId, string Slug, Guid KeyId)
{
    public const string ProviderIdClaim = "provider_id";
    public const string SlugClaim = "provider_slug";
    public const string KeyIdClaim = "key_id";

    public static AuthenticatedProvider? From(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ProviderIdClaim), out var provider)
        && user.FindFirstValue(SlugClaim) is { } slug
        && Guid.TryParse(user.FindFirstValue(KeyIdClaim), out var key)
            ? new AuthenticatedProvider(provider, slug, key)
            : null;
}

/// <summary>
/// <c>Authorization: Bearer &lt;provider key&gt;</c> on the provider's own routes. The key is looked up by
/// its SHA-256 digest among the active keys: missing, unknown or revoked is 401; a valid key of
/// another provider is 403 (the policy compares the route's slug). Authentication runs before the
/// endpoint, so an unauthenticated caller learns nothing about what a body should look like.
/// </summary>
internal sealed class ProviderKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TimeProvider clock,
    PooledStatements statements)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string MissingKey = "Missing API key: send Authorization: Bearer <your API key>.";

    public const string KeyTable = "listings.provider_keys";

    // A plain command on the shared pool rather than an EF query: every provider request runs it, and it is
    // prepared once per connection when the pool's sessions are its own (PooledSessions). The hash goes as
    // varchar so that PostgreSQL compares it with the character(64) column through its index.
    private const string FindActiveSql = """
        SELECT p.id, p.slug, k.id, k.last_used_at
        FROM listings.provider_keys k JOIN listings.providers p ON p.id = k.provider_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL
        LIMIT 1
        """;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = BearerToken.From(Request);
        if (string.IsNullOrEmpty(key))
        {
            return AuthenticateResult.Fail(Request.Headers.Authorization.Count == 0
                ? MissingKey
                : "Malformed Authorization header: send Authorization: Bearer <your API key>.");
        }

        var provider = await FindActiveAsync(KeyHash.Sha256Hex(key), Context.RequestAborted);
        if (provider is null)
        {
            return AuthenticateResult.Fail("Invalid or revoked API key.");
        }

        var now = clock.GetUtcNow();
        if (KeyLastUse.IsStale(provider.LastUsedAt, now))
        {
            await KeyLastUse.RecordAsync(Context.RequestServices.GetRequiredService<ListingsDbContext>(), KeyTable, provider.KeyId, now, Context.RequestAborted);
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(AuthenticatedProvider.ProviderIdClaim, provider.ProviderId.ToString()),
            new Claim(AuthenticatedProvider.SlugClaim, provider.Slug),
            new Claim(AuthenticatedProvider.KeyIdClaim, provider.KeyId.ToString()),
        ], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer realm=\"fluxme-providers\"";
        await ApiErrorWriter.WriteAsync(Context, ApiError.Unauthorized(result.Failure?.Message ?? MissingKey));
    }

    private async Task<KeyMatch?> FindActiveAsync(string keyHash, CancellationToken cancellationToken)
    {
        await using var reader = await statements.ExecuteReaderAsync(
            FindActiveSql, [new NpgsqlParameter { Value = keyHash, NpgsqlDbType = NpgsqlDbType.Varchar }], cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new KeyMatch(
            reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2),
            await reader.IsDBNullAsync(3, cancellationToken) ? null : reader.GetFieldValue<DateTimeOffset>(3));
    }

    private sealed record KeyMatch(Guid ProviderId, string Slug, Guid KeyId, DateTimeOffset? LastUsedAt);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiErrorWriter.WriteAsync(Context, ApiError.Forbidden($"This API key does not belong to provider \"{Request.RouteValues["slug"]}\"."));
}

internal static class ProviderKeyAuthentication
{
    public const string SchemeId = "ProviderKey";

    /// <summary>The policy of the provider's own routes: a provider key of the provider the route's <c>{slug}</c> names.</summary>
    public const string Policy = "listings.provider";

    public static ApiSecurityScheme Scheme { get; } = new(
        SchemeId, ApiSecuritySchemeKind.BearerToken, "Authorization",
        "Your provider API key: Authorization: Bearer <key>. Operators issue or import keys (/admin/providers/{slug}/keys).");

    public static IServiceCollection AddProviderKeyAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ProviderKeyHandler>(SchemeId, null);
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(SchemeId)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.Resource is HttpContext http
                                         && string.Equals(http.Request.RouteValues["slug"] as string,
                                             context.User.FindFirstValue(AuthenticatedProvider.SlugClaim), StringComparison.Ordinal)));
        return services;
    }
}
