using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Security;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.ApiKeys;

/// <summary><c>POST /api-keys</c> <c>{name, scopes}</c>: a key <c>org_live_…</c>, shown once; only its SHA-256 is kept.</summary>
internal static class CreateApiKey
{
    public const string KeyPrefix = "org_live_";
    private static readonly string[] KnownScopes = [MeteringAuthentication.UsageWrite, MeteringAuthentication.UsageRead];

    internal sealed class Request
    {
        [Required]
        public string? Name { get; init; }

        [Required]
        public IReadOnlyList<string>? Scopes { get; init; }
    }

    public static async Task<ApiCreated<CreatedApiKeyResponse>> Handle(Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
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
        return ApiResults.Created(
            $"{MeteringModule.ApiBase}/api-keys/{apiKey.Id}",
            new CreatedApiKeyResponse(apiKey.Id, apiKey.Name, key, apiKey.Prefix, apiKey.Scopes, apiKey.CreatedAt));
    }
}
