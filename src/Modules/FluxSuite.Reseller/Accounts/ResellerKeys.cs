using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Validation;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Accounts;

/// <summary>
/// <c>GET /admin/resellers/{id}/keys</c> (each key with when it was last used), <c>POST /admin/resellers/{id}/keys</c>
/// (shown once) and <c>DELETE /admin/resellers/{id}/keys/{keyId}</c> (revokes).
/// </summary>
internal static class ResellerKeys
{
    internal sealed record CreateRequest([property: JsonPropertyName("mode"), AllowedValues("live", "test")] string? Mode);

    internal sealed record CreateResponse(
        [property: JsonPropertyName("id")] Guid Id,
        [property: JsonPropertyName("key")] string Key,
        [property: JsonPropertyName("mode")] string Mode,
        [property: JsonPropertyName("created_at")] DateTime CreatedAt);

    /// <summary>A key as the operator list shows it: never the key itself, only its first characters.</summary>
    internal sealed record KeyView(
        [property: JsonPropertyName("id")] Guid Id,
        [property: JsonPropertyName("mode")] string Mode,
        [property: JsonPropertyName("key_prefix")] string KeyPrefix,
        [property: JsonPropertyName("created_at")] DateTime CreatedAt,
        [property: JsonPropertyName("last_used_at")] DateTime? LastUsedAt,
        [property: JsonPropertyName("revoked_at")] DateTime? RevokedAt,
        [property: JsonPropertyName("active")] bool Active);

    internal sealed record ListResponse([property: JsonPropertyName("keys")] IReadOnlyList<KeyView> Keys);

    internal sealed class Validator : AbstractValidator<CreateRequest>
    {
        public Validator() =>
            RuleFor(r => r.Mode).OneOf("live", "test").WithMessage("must be live or test.");
    }

    public static async Task<ApiOk<Envelope<ListResponse>>> List(Guid id, ResellerDbContext db, CancellationToken cancellationToken)
    {
        await AdminLookup.RequireResellerAsync(db, id, cancellationToken);
        var keys = await db.Keys.AsNoTracking().Where(k => k.ResellerId == id)
            .OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Id)
            .ToListAsync(cancellationToken);
        return ApiResults.Ok(Envelope.Of(new ListResponse([.. keys.Select(k => new KeyView(
            k.Id, k.Mode.WireName(), k.KeyPrefix, k.CreatedAt.UtcDateTime, k.LastUsedAt?.UtcDateTime, k.RevokedAt?.UtcDateTime, k.RevokedAt is null))])));
    }

    public static async Task<ApiCreated<Envelope<CreateResponse>>> Create(
        Guid id, CreateRequest request, ResellerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        await AdminLookup.RequireResellerAsync(db, id, cancellationToken);
        var now = clock.GetUtcNow();
        var mode = AdminLookup.ParseMode(request.Mode, "mode");
        var (plaintext, key) = ApiKeys.New(id, mode, now);
        db.Keys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created($"/admin/resellers/{id}/keys/{key.Id}",
            Envelope.Of(new CreateResponse(key.Id, plaintext, request.Mode!, now.UtcDateTime)));
    }

    public static async Task<NoContent> Revoke(Guid id, Guid keyId, ResellerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var key = await db.Keys.FirstOrDefaultAsync(k => k.Id == keyId && k.ResellerId == id, cancellationToken)
                  ?? throw new ApiErrorException(ApiError.NotFound($"Key {keyId} of reseller {id} not found."));
        key.RevokedAt ??= now;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
