using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Plans;

/// <summary><c>GET /plans/{id}/charges</c> (archived ones too, marked), <c>GET /plans/{id}/charges/{chargeId}</c>.</summary>
internal static class ReadCharges
{
    internal sealed record ListResponse(IReadOnlyList<ChargeResponse> Data);

    public static async Task<ApiOk<ListResponse>> List(Guid id, ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        if (!await db.Set<Plan>().AnyAsync(p => p.Id == id && p.OrganizationId == organizationId, cancellationToken))
        {
            throw Problems.NotFound("plan", id);
        }

        var charges = await db.Set<Charge>().AsNoTracking().Where(c => c.PlanId == id)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).ToListAsync(cancellationToken);
        return ApiResults.Ok(new ListResponse([.. charges.Select(ChargeResponse.From)]));
    }

    public static async Task<ApiOk<ChargeResponse>> Get(Guid id, Guid chargeId, ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var charge = await db.Set<Charge>().AsNoTracking()
            .FirstOrDefaultAsync(c => c.Id == chargeId && c.PlanId == id && c.OrganizationId == organizationId, cancellationToken);
        return charge is null ? throw Problems.NotFound("charge", chargeId) : ApiResults.Ok(ChargeResponse.From(charge));
    }
}
