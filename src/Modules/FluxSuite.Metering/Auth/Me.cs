using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Auth;

/// <summary><c>GET /auth/me</c>: the signed-in user and their organization.</summary>
internal static class Me
{
    internal sealed record Response(UserResponse User, OrganizationResponse Organization);

    public static async Task<ApiOk<Response>> Handle(ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken)
    {
        var userId = caller.UserId();
        var user = await db.Set<User>().AsNoTracking().SingleAsync(u => u.Id == userId, cancellationToken);
        var organization = await db.Set<Organization>().AsNoTracking().SingleAsync(o => o.Id == user.OrganizationId, cancellationToken);
        return ApiResults.Ok(new Response(new UserResponse(user.Id, user.Email, user.CreatedAt), OrganizationResponse.From(organization)));
    }
}
