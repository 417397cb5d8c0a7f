using System.Security.Claims;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Security;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.ApiKeys;

internal sealed record ApiKeyResponse(
    Guid Id,
    string Name,
    string Prefix,
    IReadOnlyList<string> Scopes,
    string Status,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("last_used_at")] DateTimeOffset? LastUsedAt,
    [property: JsonPropertyName("revoked_at")] DateTimeOffset? RevokedAt)
{
    public static ApiKeyResponse From(ApiKey k) =>
        new(k.Id, k.Name, k.Prefix, k.Scopes, k.RevokedAt is null ? "active" : "revoked", k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}

/// <summary>The new key, the one time it is shown.</summary>
internal sealed record CreatedApiKeyResponse(
    Guid Id,
    string Name,
    string Key,
    string Prefix,
    IReadOnlyList<string> Scopes,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt);

/// <summary><c>POST /api-keys</c> <c>{name, scopes}</c>: a key <c>org_live_…</c>, shown once; only its SHA-256 is kept.</summary>
internal static class CreateApiKey
{
    public const string KeyPrefix = "org_live_";
    private static readonly string[] KnownScopes = [MeteringAuthentication.UsageWrite, MeteringAuthentication.UsageRead];

    internal sealed class Request
    {
        public string? Name { get; init; }

        public IReadOnlyList<string>? Scopes { get; init; }
    }

    public static async Task<IResult> Handle(Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            errors.Add("name", "is required, 1 to 200 characters.");
        }

        if (request.Scopes is not { Count: > 0 })
        {
            errors.Add("scopes", $"is required: one or more of {string.Join(", ", KnownScopes)}.");
        }
        else
        {
            for (var i = 0; i < request.Scopes.Count; i++)
            {
                if (!KnownScopes.Contains(request.Scopes[i], StringComparer.Ordinal))
                {
                    errors.Add($"scopes[{i}]", $"'{request.Scopes[i]}' is not a scope: use {string.Join(" or ", KnownScopes)}.");
                }
            }
        }

        errors.ThrowIfAny();

        var key = SecretKeyGenerator.Generate(KeyPrefix);
        var apiKey = new ApiKey
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = caller.OrganizationId(),
            Name = request.Name!.Trim(),
            Prefix = SecretKeyGenerator.DisplayPrefix(key),
            KeyHash = KeyHash.Sha256Hex(key),
            Scopes = [.. request.Scopes!.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            CreatedAt = clock.GetUtcNow(),
        };
        db.Add(apiKey);
        await db.SaveChangesAsync(cancellationToken);
        return MeteringResults.Created(
            $"{MeteringModule.ApiBase}/api-keys/{apiKey.Id}",
            new CreatedApiKeyResponse(apiKey.Id, apiKey.Name, key, apiKey.Prefix, apiKey.Scopes, apiKey.CreatedAt));
    }
}

/// <summary><c>GET /api-keys</c>: every key with its prefix, scopes and last use; never the key itself.</summary>
internal static class ListApiKeys
{
    public static async Task<IResult> Handle(ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var keys = await db.Set<ApiKey>().AsNoTracking().Where(k => k.OrganizationId == organizationId)
            .OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id).ToListAsync(cancellationToken);
        return MeteringResults.Ok(new Response([.. keys.Select(ApiKeyResponse.From)]));
    }

    /// <summary><c>{"data": [...]}</c>: every key, not paged (an organization holds a handful).</summary>
    internal sealed record Response(IReadOnlyList<ApiKeyResponse> Data);
}

/// <summary><c>DELETE /api-keys/{id}</c>: the key stops working at once; it stays listed as revoked.</summary>
internal static class RevokeApiKey
{
    public static async Task<IResult> Handle(Guid id, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var key = await db.Set<ApiKey>().FirstOrDefaultAsync(k => k.Id == id && k.OrganizationId == organizationId, cancellationToken);
        if (key is null)
        {
            throw Problems.NotFound("API key", id);
        }

        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.NoContent();
    }
}
