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
/// On an endpoint marked <see cref="ProviderKeyCheckedByWrite"/> the lookup is left to the endpoint's write
/// (<see cref="PendingProviderKey"/>), which answers through <see cref="HandleChallengeAsync"/> and
/// <see cref="HandleForbiddenAsync"/> all the same.
/// </summary>
internal sealed class ProviderKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ProviderKeyLookup keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string MissingKey = "Missing API key: send Authorization: Bearer <your API key>.";

    public const string InvalidKey = "Invalid or revoked API key.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = BearerToken.From(Request);
        if (string.IsNullOrEmpty(key))
        {
            return AuthenticateResult.Fail(Request.Headers.Authorization.Count == 0
                ? MissingKey
                : "Malformed Authorization header: send Authorization: Bearer <your API key>.");
        }

        var keyHash = KeyHash.Sha256Hex(key);
        if (ProviderKeyCheckedByWrite.On(Context))
        {
            Context.Features.Set(new PendingProviderKey(keyHash));
            var pending = new ClaimsIdentity([new Claim(PendingProviderKey.Claim, "pending")], Scheme.Name);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(pending), Scheme.Name));
        }

        var provider = await keys.FindActiveAsync(keyHash, Context);
        if (provider is null)
        {
            return AuthenticateResult.Fail(InvalidKey);
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
        await ApiErrorWriter.WriteAsync(Context, ApiError.Unauthorized(
            Context.Features.Get<PendingProviderKey>()?.Refusal ?? result.Failure?.Message ?? MissingKey));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiErrorWriter.WriteAsync(Context, ApiError.Forbidden($"This API key does not belong to provider \"{Request.RouteValues["slug"]}\"."));
}

/// <summary>An active provider key, found by its hash: whose it is, and when it was last used.</summary>
internal sealed record ProviderKeyMatch(Guid ProviderId, string Slug, Guid KeyId, DateTimeOffset? LastUsedAt);

/// <summary>
/// The lookup of an active provider key on its own round trip, with its use recorded (<see cref="KeyLastUse"/>):
/// what the handler does on every provider route but a write that carries the check, and what such a write does
/// first when the body it was sent is refused.
/// </summary>
internal sealed class ProviderKeyLookup(PooledStatements statements, TimeProvider clock)
{
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

    /// <summary>The active key whose SHA-256 hex digest is <paramref name="keyHash"/>, its use recorded; null when there is none.</summary>
    public async Task<ProviderKeyMatch?> FindActiveAsync(string keyHash, HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        ProviderKeyMatch match;
        await using (var reader = await statements.ExecuteReaderAsync(
                         FindActiveSql, [new NpgsqlParameter { Value = keyHash, NpgsqlDbType = NpgsqlDbType.Varchar }], cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            match = new ProviderKeyMatch(
                reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2),
                await reader.IsDBNullAsync(3, cancellationToken) ? null : reader.GetFieldValue<DateTimeOffset>(3));
        }

        var now = clock.GetUtcNow();
        if (KeyLastUse.IsStale(match.LastUsedAt, now))
        {
            await KeyLastUse.RecordAsync(context.RequestServices.GetRequiredService<ListingsDbContext>(), KeyTable, match.KeyId, now, cancellationToken);
        }

        return match;
    }

    /// <summary>The verdict on <paramref name="keyHash"/> for the listing <paramref name="slug"/> names, on its own round trip.</summary>
    public async Task<ProviderKeyVerdict> CheckAsync(string keyHash, string slug, HttpContext context) =>
        await FindActiveAsync(keyHash, context) is not { } match ? ProviderKeyVerdict.Unknown
        : string.Equals(match.Slug, slug, StringComparison.Ordinal) ? ProviderKeyVerdict.Valid
        : ProviderKeyVerdict.OtherProvider;
}

internal static class ProviderKeyAuthentication
{
    public const string SchemeId = "ProviderKey";

    /// <summary>The policy of the provider's own routes: a provider key of the provider the route's <c>{slug}</c> names.</summary>
    public const string Policy = "listings.provider";

    public static ApiSecurityScheme Scheme { get; } = new(
        SchemeId, ApiSecuritySchemeKind.BearerToken, "Authorization",
        "Your provider API key: Authorization: Bearer <key>. Operators issue or import keys (/admin/providers/{slug}/keys).");

    /// <summary>
    /// A key not yet checked passes the policy only on an endpoint whose write checks it (<see cref="ProviderKeyCheckedByWrite"/>),
    /// where the handler set the key aside for it; the endpoint answers 401 or 403 from its statement's verdict.
    /// </summary>
    private static bool LeftToTheWrite(HttpContext http, ClaimsPrincipal user) =>
        user.HasClaim(c => c.Type == PendingProviderKey.Claim)
        && ProviderKeyCheckedByWrite.On(http)
        && http.Features.Get<PendingProviderKey>() is not null;

    public static IServiceCollection AddProviderKeyAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<ProviderKeyLookup>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ProviderKeyHandler>(SchemeId, null);
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(SchemeId)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.Resource is HttpContext http
                                         && (string.Equals(http.Request.RouteValues["slug"] as string,
                                                 context.User.FindFirstValue(AuthenticatedProvider.SlugClaim), StringComparison.Ordinal)
                                             || LeftToTheWrite(http, context.User))));
        return services;
    }
}
