using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Plans;

/// <summary><c>GET /plans/{id}/charges/{chargeId}</c>: one charge of the plan, archived or not.</summary>
internal static class GetCharge
{
    public static async Task<ApiOk<ChargeResponse>> Handle(Guid id, Guid chargeId, ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var charge = await db.Set<Charge>().AsNoTracking()
            .FirstOrDefaultAsync(c => c.Id == chargeId && c.PlanId == id && c.OrganizationId == organizationId, cancellationToken);
        return charge is null ? throw Problems.NotFound("charge", chargeId) : ApiResults.Ok(ChargeResponse.From(charge));
    }
}
