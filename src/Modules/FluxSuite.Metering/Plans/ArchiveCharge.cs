using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Plans;

/// <summary><c>POST /plans/{id}/charges/{chargeId}/archive</c>: the charge no longer bills.</summary>
internal static class ArchiveCharge
{
    public static async Task<ApiOk<ChargeResponse>> Handle(Guid id, Guid chargeId, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
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

        return ApiResults.Ok(ChargeResponse.From(charge));
    }
}
