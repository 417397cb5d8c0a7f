using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Plans;

/// <summary><c>POST /plans/{id}/charges</c>: a FIXED amount per period, or a USAGE price on a meter.</summary>
internal static class AddCharge
{
    internal sealed class Request : ChargePrices
    {
        [Required]
        public string? Type { get; init; }

        [JsonPropertyName("meter_id")]
        public Guid? MeterId { get; init; }
    }

    public static async Task<ApiCreated<ChargeResponse>> Handle(Guid id, Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var plan = await db.Set<Plan>().AsNoTracking().FindOwnedAsync(id, organizationId, cancellationToken);

        if (plan.ArchivedAt is not null)
        {
            throw Problems.Conflict("The plan is archived: it takes no new charges.");
        }

        var type = request.Type?.ToUpperInvariant();
        Feature? meter = null;
        if (type == ChargeRules.Usage && request.MeterId is { } meterId)
        {
            meter = await db.Set<Feature>().AsNoTracking()
                .FirstOrDefaultAsync(f => f.MeterId == meterId && f.OrganizationId == organizationId && f.ArchivedAt == null, cancellationToken);
            if (meter is null)
            {
                throw new ApiErrorException(ApiError.NotFound($"meter_id: no active meter with id {meterId} in your organization."));
            }
        }

        var now = clock.GetUtcNow();
        var charge = new Charge
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organizationId,
            PlanId = plan.Id,
            Type = type ?? string.Empty,
            DisplayName = request.DisplayName?.Trim() ?? (type == ChargeRules.Fixed ? "Fixed fee" : meter?.Name ?? string.Empty),
            Amount = request.Amount,
            MeterId = request.MeterId,
            PricingModel = type == ChargeRules.Usage ? request.PricingModel?.ToLowerInvariant() ?? Pricing.PerUnit : request.PricingModel,
            UnitPrice = request.UnitPrice,
            Tiers = ChargeRules.ToTiers(request.Tiers),
            PackageSize = request.PackageSize,
            PackagePrice = request.PackagePrice,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var errors = new FieldErrors();
        if (type is null)
        {
            errors.Add("type", "is required: FIXED or USAGE.");
        }
        else
        {
            ChargeRules.Check(charge, plan.Type, errors);
        }

        errors.ThrowIfAny();

        db.Add(charge);
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created($"{MeteringModule.ApiBase}/plans/{plan.Id}/charges/{charge.Id}", ChargeResponse.From(charge));
    }
}
