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
