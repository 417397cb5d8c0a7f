using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Meters;

/// <summary><c>GET /features/{id}</c>.</summary>
internal static class GetFeature
{
    public static async Task<ApiOk<FeatureResponse>> Handle(Guid id, ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var feature = await db.Set<Feature>().AsNoTracking().FindOwnedAsync(id, organizationId, cancellationToken);
        return ApiResults.Ok(FeatureResponse.From(feature));
    }
}
