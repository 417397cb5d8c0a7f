using System.Security.Claims;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Plans;

/// <summary><c>GET /plans/{id}</c>.</summary>
internal static class GetPlan
{
    public static async Task<ApiOk<PlanResponse>> Handle(Guid id, ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var plan = await db.Set<Plan>().AsNoTracking().FindOwnedAsync(id, organizationId, cancellationToken);

        var charges = await db.Set<Charge>().AsNoTracking().Where(c => c.PlanId == id).ToListAsync(cancellationToken);
        return ApiResults.Ok(PlanResponse.From(plan, charges));
    }
}
