using System.Security.Claims;
using System.Text.Encodings.Web;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Security;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Security;

internal sealed class ResellerKeyOptions : AuthenticationSchemeOptions
{
    public Mode Mode { get; set; }
}

/// <summary>
/// <c>Authorization: Bearer fp_live_…</c> on <c>/api/v1</c> and <c>fp_test_…</c> on <c>/sandbox/api/v1</c>:
/// one scheme per mode, neither the default. A key of the other mode, an unknown or revoked key, or no
/// key is 401 <c>UNAUTHORIZED</c>; a suspended reseller is 403 <c>FORBIDDEN</c> (the policy's status claim).
/// </summary>
internal sealed class ResellerKeyHandler(
    IOptionsMonitor<ResellerKeyOptions> options, ILoggerFactory logger, UrlEncoder encoder, TimeProvider clock, KeyRateLimiter limiter)
    : AuthenticationHandler<ResellerKeyOptions>(options, logger, encoder)
{
    public const string LiveScheme = "ResellerLive";
    public const string TestScheme = "ResellerTest";

    public static string SchemeFor(Mode mode) => mode == Mode.Live ? LiveScheme : TestScheme;

    public static string PrefixFor(Mode mode) => mode == Mode.Live ? "fp_live_" : "fp_test_";

    public const string KeyTable = "reseller.reseller_keys";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.Fail("Missing API key: send Authorization: Bearer <key>.");
        }

        if (BearerToken.From(Request) is not { } key)
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <key>'.");
        }

        var mode = Options.Mode;
        if (!key.StartsWith(PrefixFor(mode), StringComparison.Ordinal))
        {
            return AuthenticateResult.Fail(mode == Mode.Live
                ? "Invalid API key: /api/v1 takes live keys (fp_live_…); test keys work on /sandbox/api/v1."
                : "Invalid API key: /sandbox/api/v1 takes test keys (fp_test_…); live keys work on /api/v1.");
        }

        // The lookup counts the request against the key's rate-limit window too (RateLimitFilter answers it), and carries the
        // endpoint's read when the route has one (KeyedRead): the endpoint takes it once the request is let through.
        var read = Context.GetEndpoint()?.Metadata.GetMetadata<ReadsWithKeyMetadata>()?.Create(Context);
        var owner = await limiter.FindKeyAndCountAsync(KeyHash.Sha256Hex(key), mode, read, Context.RequestAborted);
        if (owner is null)
        {
            return AuthenticateResult.Fail("Invalid or revoked API key.");
        }

        Context.Features.Set(new CountedWindow(owner.Window));
        if (read is not null)
        {
            Context.Features.Set(read);
        }

        var now = clock.GetUtcNow();
        if (KeyLastUse.IsStale(owner.LastUsedAt, now))
        {
            await KeyLastUse.RecordAsync(Context.RequestServices.GetRequiredService<ResellerDbContext>(), KeyTable, owner.KeyId, now, Context.RequestAborted);
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(ResellerCaller.ResellerIdClaim, owner.ResellerId.ToString()),
            new Claim(ResellerCaller.KeyIdClaim, owner.KeyId.ToString()),
            new Claim(ResellerCaller.ModeClaim, mode.WireName()),
            new Claim(ResellerCaller.StatusClaim, owner.Status),
        ], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await ApiErrorWriter.WriteAsync(Context, ApiError.Unauthorized(result.Failure?.Message ?? "Missing API key."));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiErrorWriter.WriteAsync(Context, ApiError.Forbidden("This reseller account is suspended."));
}

/// <summary>Who is calling: the reseller, the key and the mode its key belongs to.</summary>
internal sealed record ResellerCaller(Guid ResellerId, Guid KeyId, Mode Mode)
{
    public const string ResellerIdClaim = "reseller_id";
    public const string KeyIdClaim = "key_id";
    public const string ModeClaim = "mode";
    public const string StatusClaim = "reseller_status";

    /// <summary>Bound from the authenticated principal (authorization has run before binding).</summary>
    public static ValueTask<ResellerCaller?> BindAsync(HttpContext context) => ValueTask.FromResult(From(context.User));

    public static ResellerCaller? From(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ResellerIdClaim), out var reseller)
        && Guid.TryParse(user.FindFirstValue(KeyIdClaim), out var key)
        && Products.TryParseMode(user.FindFirstValue(ModeClaim), out var mode)
            ? new ResellerCaller(reseller, key, mode)
            : null;
}

internal static class ResellerAuthentication
{
    public static IServiceCollection AddResellerAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<ResellerKeyOptions, ResellerKeyHandler>(ResellerKeyHandler.LiveScheme, o => o.Mode = Mode.Live)
            .AddScheme<ResellerKeyOptions, ResellerKeyHandler>(ResellerKeyHandler.TestScheme, o => o.Mode = Mode.Test);
        var authorization = services.AddAuthorizationBuilder();
        foreach (var mode in new[] { Mode.Live, Mode.Test })
        {
            var scheme = ResellerKeyHandler.SchemeFor(mode);
            authorization.AddPolicy(scheme, policy => policy
                .AddAuthenticationSchemes(scheme)
                .RequireAuthenticatedUser()
                .RequireClaim(ResellerCaller.StatusClaim, ResellerStatus.Active));
        }

        return services;
    }
}
