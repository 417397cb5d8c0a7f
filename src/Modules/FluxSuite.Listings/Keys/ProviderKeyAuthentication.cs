using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Security;
using FluxSuite.Listings.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Listings.Keys;

/// <summary>The provider a request authenticated as, and with which key.</summary>
internal sealed record AuthenticatedProvider(Guid ProviderId, string Slug, Guid KeyId);

/// <summary>
/// <c>Authorization: Bearer &lt;provider key&gt;</c> on the provider's own routes. The key is looked up by
/// its SHA-256 digest among the active keys: missing, unknown or revoked is 401; a valid key of
/// another provider is 403. Runs before the body is read, so an unauthenticated caller learns nothing
/// about what a body should look like.
/// </summary>
internal sealed class ProviderKeyAuthentication(ListingsDbContext db, KeyUsageRecorder usage, TimeProvider clock) : IEndpointFilter
{
    public const string SchemeId = "ProviderKey";

    public static ApiSecurityScheme Scheme { get; } = new(
        SchemeId, ApiSecuritySchemeKind.BearerToken, "Authorization",
        "Your provider API key: Authorization: Bearer <key>. Operators issue or import keys (/admin/providers/{slug}/keys).");

    private static readonly Func<ListingsDbContext, string, CancellationToken, Task<AuthenticatedProvider?>> FindActive =
        EF.CompileAsyncQuery((ListingsDbContext context, string hash, CancellationToken _) =>
            context.ProviderKeys.AsNoTracking()
                .Where(k => k.KeyHash == hash && k.RevokedAt == null)
                .Join(context.Providers, k => k.ProviderId, p => p.Id, (k, p) => new AuthenticatedProvider(p.Id, p.Slug, k.Id))
                .FirstOrDefault());

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var key = BearerKey(http.Request);
        if (key is null)
        {
            return Challenge(http, http.Request.Headers.Authorization.Count == 0
                ? "Missing API key: send Authorization: Bearer <your API key>."
                : "Malformed Authorization header: send Authorization: Bearer <your API key>.");
        }

        var provider = await FindActive(db, KeyHash.Sha256Hex(key), http.RequestAborted);
        if (provider is null)
        {
            return Challenge(http, "Invalid or revoked API key.");
        }

        var slug = http.Request.RouteValues["slug"] as string;
        if (!string.Equals(slug, provider.Slug, StringComparison.Ordinal))
        {
            return new ApiErrorResult(ApiError.Forbidden($"This API key does not belong to provider \"{slug}\"."));
        }

        usage.Record(provider.KeyId, clock.GetUtcNow());
        http.Items[typeof(AuthenticatedProvider)] = provider;
        return await next(context);
    }

    public static AuthenticatedProvider Current(HttpContext context) =>
        context.Items[typeof(AuthenticatedProvider)] as AuthenticatedProvider
        ?? throw new InvalidOperationException("The endpoint is not behind ProviderKeyAuthentication.");

    private static string? BearerKey(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value)
        {
            return null;
        }

        const string prefix = "Bearer ";
        if (!value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var key = value[prefix.Length..].Trim();
        return key.Length == 0 ? null : key;
    }

    private static ApiErrorResult Challenge(HttpContext context, string message)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"fluxme-providers\"";
        return new ApiErrorResult(ApiError.Unauthorized(message));
    }
}
