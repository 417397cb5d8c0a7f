using System.Security.Claims;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Plans;

/// <summary>
/// <c>PATCH /plans/{id}/charges/{chargeId}</c>: the name and the prices. Changing <c>pricing_model</c>
/// drops the old model's prices, so send the new model's fields with it. Type and meter stay as created.
/// </summary>
internal static class UpdateCharge
{
    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed class Request : ChargePrices;

    public static async Task<ApiOk<ChargeResponse>> Handle(
        Guid id, Guid chargeId, Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var plan = await db.Set<Plan>().AsNoTracking().FindOwnedAsync(id, organizationId, cancellationToken);
        var charge = await db.Set<Charge>().FirstOrDefaultAsync(c => c.Id == chargeId && c.PlanId == id, cancellationToken)
                     ?? throw Problems.NotFound("charge", chargeId);

        if (request.PricingModel is { } model && !string.Equals(model, charge.PricingModel, StringComparison.OrdinalIgnoreCase))
        {
            charge.PricingModel = model.ToLowerInvariant();
            charge.UnitPrice = charge.PackageSize = charge.PackagePrice = null;
            charge.Tiers = null;
        }

        charge.DisplayName = request.DisplayName?.Trim() ?? charge.DisplayName;
        charge.Amount = request.Amount ?? charge.Amount;
        charge.UnitPrice = request.UnitPrice ?? charge.UnitPrice;
        charge.Tiers = ChargeRules.ToTiers(request.Tiers) ?? charge.Tiers;
        charge.PackageSize = request.PackageSize ?? charge.PackageSize;
        charge.PackagePrice = request.PackagePrice ?? charge.PackagePrice;
        var errors = new FieldErrors();
        ChargeRules.Check(charge, plan.Type, errors);
        errors.ThrowIfAny();

        charge.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Ok(ChargeResponse.From(charge));
    }
}
