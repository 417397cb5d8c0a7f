using System.Security.Claims;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Plans;

/// <summary><c>POST /plans/{id}/charges</c>: a FIXED amount per period, or a USAGE price on a meter.</summary>
internal static class AddCharge
{
    internal sealed class Request
    {
        public string? Type { get; init; }

        [JsonPropertyName("display_name")]
        public string? DisplayName { get; init; }

        public decimal? Amount { get; init; }

        [JsonPropertyName("meter_id")]
        public Guid? MeterId { get; init; }

        [JsonPropertyName("pricing_model")]
        public string? PricingModel { get; init; }

        [JsonPropertyName("unit_price")]
        public decimal? UnitPrice { get; init; }

        public IReadOnlyList<TierRequest>? Tiers { get; init; }

        [JsonPropertyName("package_size")]
        public decimal? PackageSize { get; init; }

        [JsonPropertyName("package_price")]
        public decimal? PackagePrice { get; init; }
    }

    public static async Task<IResult> Handle(Guid id, Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var plan = await db.Set<Plan>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.OrganizationId == organizationId, cancellationToken);
        if (plan is null)
        {
            throw Problems.NotFound("plan", id);
        }

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
        return MeteringResults.Created($"{MeteringModule.ApiBase}/plans/{plan.Id}/charges/{charge.Id}", ChargeResponse.From(charge));
    }
}

/// <summary>
/// <c>PATCH /plans/{id}/charges/{chargeId}</c>: the name and the prices. Changing <c>pricing_model</c>
/// drops the old model's prices, so send the new model's fields with it. Type and meter stay as created.
/// </summary>
internal static class UpdateCharge
{
    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed class Request
    {
        [JsonPropertyName("display_name")]
        public string? DisplayName { get; init; }

        public decimal? Amount { get; init; }

        [JsonPropertyName("pricing_model")]
        public string? PricingModel { get; init; }

        [JsonPropertyName("unit_price")]
        public decimal? UnitPrice { get; init; }

        public IReadOnlyList<TierRequest>? Tiers { get; init; }

        [JsonPropertyName("package_size")]
        public decimal? PackageSize { get; init; }

        [JsonPropertyName("package_price")]
        public decimal? PackagePrice { get; init; }
    }

    public static async Task<IResult> Handle(
        Guid id, Guid chargeId, Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var plan = await db.Set<Plan>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.OrganizationId == organizationId, cancellationToken);
        var charge = plan is null ? null : await db.Set<Charge>().FirstOrDefaultAsync(c => c.Id == chargeId && c.PlanId == id, cancellationToken);
        if (plan is null || charge is null)
        {
            return plan is null ? throw Problems.NotFound("plan", id) : throw Problems.NotFound("charge", chargeId);
        }

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
        return MeteringResults.Ok(ChargeResponse.From(charge));
    }
}

/// <summary><c>GET /plans/{id}/charges</c> (archived ones too, marked), <c>GET /plans/{id}/charges/{chargeId}</c>.</summary>
internal static class ReadCharges
{
    public static async Task<IResult> List(Guid id, ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        if (!await db.Set<Plan>().AnyAsync(p => p.Id == id && p.OrganizationId == organizationId, cancellationToken))
        {
            throw Problems.NotFound("plan", id);
        }

        var charges = await db.Set<Charge>().AsNoTracking().Where(c => c.PlanId == id)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).ToListAsync(cancellationToken);
        return MeteringResults.Ok(new { data = charges.Select(ChargeResponse.From).ToList() });
    }

    public static async Task<IResult> Get(Guid id, Guid chargeId, ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var charge = await db.Set<Charge>().AsNoTracking()
            .FirstOrDefaultAsync(c => c.Id == chargeId && c.PlanId == id && c.OrganizationId == organizationId, cancellationToken);
        return charge is null ? throw Problems.NotFound("charge", chargeId) : MeteringResults.Ok(ChargeResponse.From(charge));
    }
}

/// <summary><c>POST /plans/{id}/charges/{chargeId}/archive</c>: the charge no longer bills.</summary>
internal static class ArchiveCharge
{
    public static async Task<IResult> Handle(Guid id, Guid chargeId, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var charge = await db.Set<Charge>()
            .FirstOrDefaultAsync(c => c.Id == chargeId && c.PlanId == id && c.OrganizationId == organizationId, cancellationToken);
        if (charge is null)
        {
            throw Problems.NotFound("charge", chargeId);
        }

        if (charge.ArchivedAt is null)
        {
            charge.ArchivedAt = charge.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        return MeteringResults.Ok(ChargeResponse.From(charge));
    }
}
