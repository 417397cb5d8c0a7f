using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.SubUsers;

/// <summary><c>GET /sub-users/{id}</c> (the reference's): one of the caller's sub-users.</summary>
internal static class GetSubUser
{
    public static async Task<ApiOk<Envelope<SubUserResponse>>> Handle(ResellerCaller caller, string id, ResellerDbContext db, CancellationToken cancellationToken)
    {
        var subUser = await SubUserAccess.FindAsync(db.SubUsers.AsNoTracking(), caller, id, cancellationToken);
        return ApiResults.Ok(Envelope.Of(await SubUserResponse.FromAsync(db, subUser, cancellationToken)));
    }
}
