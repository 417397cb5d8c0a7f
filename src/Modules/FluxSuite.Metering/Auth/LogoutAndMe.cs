using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Auth;

/// <summary><c>POST /auth/logout</c>: ends the caller's session (the token stops working) and clears the cookie.</summary>
internal static class Logout
{
    public static async Task<NoContent> Handle(HttpContext http, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        // Anonymous callers may log out too: an expired token still gets its cookie cleared.
        var result = await http.AuthenticateAsync(MeteringAuthentication.UserScheme);
        if (result.Succeeded)
        {
            var sessionId = result.Principal.SessionId();
            var now = clock.GetUtcNow();
            await db.Set<UserSession>().Where(s => s.Id == sessionId && s.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now), cancellationToken);
        }

        http.Response.Cookies.Delete(AccessTokens.CookieName, Sessions.CookieOptions(http, null));
        return TypedResults.NoContent();
    }
}

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
