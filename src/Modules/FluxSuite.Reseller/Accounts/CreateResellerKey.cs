using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Validation;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;

namespace FluxSuite.Reseller.Accounts;

/// <summary><c>POST /admin/resellers/{id}/keys</c>: a new API key for the reseller, shown once.</summary>
internal static class CreateResellerKey
{
    [SchemaId("ResellerKeysCreateRequest")]
    internal sealed record CreateRequest([property: JsonPropertyName("mode"), AllowedValues("live", "test")] string? Mode);

    [SchemaId("ResellerKeysCreateResponse")]
    internal sealed record CreateResponse(
        [property: JsonPropertyName("id")] Guid Id,
        [property: JsonPropertyName("key")] string Key,
        [property: JsonPropertyName("mode")] string Mode,
        [property: JsonPropertyName("created_at")] DateTime CreatedAt);

    internal sealed class Validator : AbstractValidator<CreateRequest>
    {
        public Validator() =>
            RuleFor(r => r.Mode).OneOf("live", "test").WithMessage("must be live or test.");
    }

    public static async Task<ApiCreated<Envelope<CreateResponse>>> Handle(
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
}
