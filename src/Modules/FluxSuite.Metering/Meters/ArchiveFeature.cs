using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Meters;

/// <summary>
/// <c>POST /features/{id}/archive</c>: the meter stops accepting events and leaves the default list.
/// Refused while a charge of a live plan prices it.
/// </summary>
internal static class ArchiveFeature
{
    public static async Task<ApiOk<FeatureResponse>> Handle(Guid id, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var feature = await db.Set<Feature>().FindOwnedAsync(id, organizationId, cancellationToken);

        if (feature.ArchivedAt is null)
        {
            var pricedBy = await db.Set<Charge>()
                .Where(c => c.MeterId == feature.MeterId && c.ArchivedAt == null)
                .Join(db.Set<Plan>().Where(p => p.ArchivedAt == null), c => c.PlanId, p => p.Id, (c, p) => p.LookupId)
                .FirstOrDefaultAsync(cancellationToken);
            if (pricedBy is not null)
            {
                throw Problems.Conflict($"The meter is priced by a charge of plan '{pricedBy}': archive that charge or plan first.");
            }

            feature.ArchivedAt = feature.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        return ApiResults.Ok(FeatureResponse.From(feature));
    }
}
