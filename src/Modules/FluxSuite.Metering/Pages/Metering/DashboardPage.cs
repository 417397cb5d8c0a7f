using System.Security.Claims;
using FluxSuite.Metering.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc.Filters;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary>
/// A page behind the dashboard's sign-in. The visitor is the API's user: the same <c>access_token</c>
/// cookie and session, checked by the same authentication handler; without one the page sends them to log in.
/// </summary>
internal abstract class DashboardPage : MeteringPage
{
    /// <summary>The signed-in user, as the API's handlers expect them.</summary>
    public ClaimsPrincipal Caller { get; private set; } = new();

    public string Email => Caller.FindFirstValue("email") ?? string.Empty;

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var result = await HttpContext.AuthenticateAsync(MeteringAuthentication.UserScheme);
        if (!result.Succeeded)
        {
            context.Result = LocalRedirect($"{Root}/login?returnUrl={Uri.EscapeDataString(Request.Path + Request.QueryString)}");
            return;
        }

        Caller = result.Principal;
        ViewData["Email"] = Email;
        await next();
    }
}
