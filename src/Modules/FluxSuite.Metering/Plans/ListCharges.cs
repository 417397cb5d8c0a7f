using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Plans;

/// <summary><c>GET /plans/{id}/charges</c>: the plan's charges, archived ones too (marked), oldest first.</summary>
internal static class ListCharges
{
    [SchemaId("ReadChargesListResponse")]
    internal sealed record ListResponse(IReadOnlyList<ChargeResponse> Data);

    public static async Task<ApiOk<ListResponse>> Handle(Guid id, ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken)
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
}
