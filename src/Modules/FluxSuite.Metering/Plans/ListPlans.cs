using System.Security.Claims;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Paging;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Plans;

/// <summary><c>GET /plans</c>: newest first, each with its active charges; archived plans on request.</summary>
internal static class ListPlans
{
    public static async Task<ApiOk<ListResponse<PlanResponse>>> Handle(
        ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken,
        [FromQuery] int? page, [FromQuery(Name = "page_size")] int? pageSize, [FromQuery(Name = "include_archived")] bool? includeArchived)
    {
        var request = Paging.Read(page, pageSize);

        var organizationId = caller.OrganizationId();
        var plans = await db.Set<Plan>().AsNoTracking().Listed(organizationId, includeArchived == true).ToPageAsync(request, cancellationToken);
        var ids = plans.Items.Select(p => p.Id).ToList();
        var charges = await db.Set<Charge>().AsNoTracking().Where(c => ids.Contains(c.PlanId) && c.ArchivedAt == null).ToListAsync(cancellationToken);
        return ApiResults.Ok(ListResponse<PlanResponse>.From(plans.Map(p => PlanResponse.From(p, charges))));
    }
}
