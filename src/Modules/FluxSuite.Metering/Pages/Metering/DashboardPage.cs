using System.Security.Claims;
using System.Text.Json;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Pages;
using FluxSuite.Metering.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary>
/// A page of the metering dashboard. The visitor is the API's user: the same <c>access_token</c> cookie
/// and session, checked by the same authentication handler; without one the page sends them to log in.
/// Pages call the API's handlers (<see cref="CallAsync{TRequest, T}"/>), so every rule and message is the API's.
/// </summary>
internal abstract class DashboardPage : PageModel
{
    public const string Root = "/metering/dashboard";

    /// <summary>The signed-in user, as the API's handlers expect them.</summary>
    public ClaimsPrincipal Caller { get; private set; } = new();

    public string Email => Caller.FindFirstValue("email") ?? string.Empty;

    /// <summary>What the last action was refused with, shown above the form and next to its fields.</summary>
    public ApiError? Error { get; protected set; }

    /// <summary>A line saying what the last action did (kept across the redirect that follows it).</summary>
    [TempData]
    public string? Notice { get; set; }

    public IReadOnlyList<string> ErrorsFor(string field) =>
        Error?.Errors is { } errors && errors.TryGetValue(field, out var problems) ? problems : [];

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

    /// <summary>Runs an API handler as its route does (its request validator first); a refusal is kept in <see cref="Error"/>.</summary>
    protected async Task<HandlerOutcome<T>> CallAsync<TRequest, T>(TRequest request, Func<TRequest, Task<IResult>> handler)
    {
        var outcome = await HandlerCalls.CallAsync<TRequest, T>(
            HttpContext.RequestServices, request, JsonNamingPolicy.SnakeCaseLower, handler, HttpContext.RequestAborted);
        Error ??= outcome.Error;
        return outcome;
    }

    /// <summary>Runs an API handler that takes no request body; a refusal is kept in <see cref="Error"/>.</summary>
    protected async Task<HandlerOutcome<T>> CallAsync<T>(Task<IResult> handler)
    {
        var outcome = await HandlerCalls.CallAsync<T>(handler);
        Error ??= outcome.Error;
        return outcome;
    }

    /// <summary>The page again with the refusal shown, answered with the API's status (400, 404, 409, …).</summary>
    protected PageResult Refused(ApiError error)
    {
        Error = error;
        Response.StatusCode = error.Status;
        return Page();
    }

    /// <summary>What a read for the page answers when it fails: the API's status as an error page.</summary>
    protected IActionResult ReadFailed(ApiError error) => StatusCode(error.Status);
}
