using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Validation;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;

namespace FluxSuite.Reseller.Accounts;

/// <summary><c>PUT /admin/resellers/{id}/status</c>: a suspended reseller's keys answer 403 FORBIDDEN.</summary>
internal static class SetResellerStatus
{
    internal sealed record Request([property: JsonPropertyName("status"), AllowedValues("active", "suspended")] string? Status);

    internal sealed record Response(
        [property: JsonPropertyName("id")] Guid Id,
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("email")] string Email,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("created_at")] DateTime CreatedAt,
        [property: JsonPropertyName("updated_at")] DateTime UpdatedAt);

    internal sealed class Validator : AbstractValidator<Request>
    {
        public Validator() =>
            RuleFor(r => r.Status).OneOf(ResellerStatus.Active, ResellerStatus.Suspended)
                .WithMessage("must be active or suspended.");
    }

    public static async Task<ApiOk<Envelope<Response>>> Handle(Guid id, Request request, ResellerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var reseller = await AdminLookup.ResellerAsync(db, id, cancellationToken);
        if (reseller.Status != request.Status)
        {
            reseller.Status = request.Status!;
            reseller.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        return ApiResults.Ok(Envelope.Of(new Response(
            reseller.Id, reseller.Name, reseller.Email, reseller.Status, reseller.CreatedAt.UtcDateTime, reseller.UpdatedAt.UtcDateTime)));
    }
}
