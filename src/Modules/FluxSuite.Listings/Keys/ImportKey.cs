using System.Text.Json.Serialization;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.BuildingBlocks.Security;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Data;
using FluxSuite.Listings.Providers;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Listings.Keys;

/// <summary>
/// <c>POST /admin/providers/{slug}/keys/import</c> <c>{key}</c>: registers a key the provider made
/// itself (32+ characters, any format). Only its SHA-256 digest is kept.
/// </summary>
internal static class ImportKey
{
    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record Request([property: JsonRequired] string Key);

    internal sealed record Response(Guid Id, DateTimeOffset CreatedAt);

    internal sealed class Validator : AbstractValidator<Request>
    {
        public Validator() =>
            RuleFor(r => r.Key)
                .NotNull().WithMessage("is required.")
                .MinimumLength(ProviderKey.MinImportedLength)
                .WithMessage(r => $"must be at least {ProviderKey.MinImportedLength} characters (it has {r.Key?.Length ?? 0}).")
                .MaximumLength(ProviderKey.MaxImportedLength)
                .WithMessage($"must be at most {ProviderKey.MaxImportedLength} characters.")
                .Must(k => k is null || k.All(c => c is > ' ' and <= '~'))
                .WithMessage("must be printable ASCII without spaces (a UUID, hex or base64 string works).");
    }

    public static async Task<ApiCreated<ListingsEnvelope<Response>>> HandleAsync(string slug, Request request, ListingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var providerId = await ProviderIds.FindAsync(db, slug, cancellationToken);
        if (providerId is null)
        {
            throw ListingsResults.NotFound(slug);
        }

        var now = clock.GetUtcNow();
        var row = new ProviderKey
        {
            Id = Guid.CreateVersion7(now),
            ProviderId = providerId.Value,
            KeyHash = KeyHash.Sha256Hex(request.Key),
            Origin = KeyOrigin.Imported,
            CreatedAt = now,
        };
        db.ProviderKeys.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new ApiErrorException(new ApiError(StatusCodes.Status409Conflict, ApiErrorCodes.Conflict,
                "key: this key is already registered. Generate a new one.")
            {
                Errors = new Dictionary<string, string[]> { ["key"] = ["is already registered."] },
            });
        }

        return ListingsResults.Created($"/admin/providers/{slug}/keys/{row.Id}", $"API key imported for provider \"{slug}\"",
            new Response(row.Id, row.CreatedAt));
    }
}
