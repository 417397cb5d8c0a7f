using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Paging;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Meters;

/// <summary><c>GET /features</c>: the organization's meters, newest first; archived ones on request.</summary>
internal static class ListFeatures
{
    public static async Task<ApiOk<ListResponse<FeatureResponse>>> Handle(
        ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken,
        [FromQuery] int? page, [FromQuery(Name = "page_size")] int? pageSize, [FromQuery(Name = "include_archived")] bool? includeArchived)
    {
        var request = Paging.Read(page, pageSize);

        var organizationId = caller.OrganizationId();
        var features = await db.Set<Feature>().AsNoTracking().Listed(organizationId, includeArchived == true).ToPageAsync(request, cancellationToken);
        return ApiResults.Ok(ListResponse<FeatureResponse>.From(features.Map(FeatureResponse.From)));
    }
}
