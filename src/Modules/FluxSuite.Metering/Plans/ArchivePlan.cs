using System.Security.Claims;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Plans;

/// <summary>
/// <c>POST /plans/{id}/archive</c>: no new subscriptions to it; running subscriptions keep their plan
/// until they are canceled.
/// </summary>
internal static class ArchivePlan
{
    public static async Task<ApiOk<PlanResponse>> Handle(Guid id, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var plan = await db.Set<Plan>().FindOwnedAsync(id, organizationId, cancellationToken);

        if (plan.ArchivedAt is null)
        {
            plan.ArchivedAt = plan.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        var charges = await db.Set<Charge>().AsNoTracking().Where(c => c.PlanId == id).ToListAsync(cancellationToken);
        return ApiResults.Ok(PlanResponse.From(plan, charges));
    }
}
