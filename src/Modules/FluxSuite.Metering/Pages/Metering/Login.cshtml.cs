using System.Text.Json;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Pages;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary><c>/metering/dashboard/login</c>: <c>POST /auth/login</c>'s handler (its throttling included), then back where the visitor was going.</summary>
internal sealed class LoginModel(MeteringDbContext db, Sessions sessions, LoginThrottling throttling, IPasswordHasher<User> hasher) : PageModel
{
    public ApiError? Error { get; private set; }

    public string? EmailValue { get; private set; }

    [BindProperty(SupportsGet = true, Name = "returnUrl")]
    public string? ReturnUrl { get; set; }

    public IReadOnlyList<string> ErrorsFor(string field) =>
        Error?.Errors is { } errors && errors.TryGetValue(field, out var problems) ? problems : [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var form = new FormReader(Request.Form);
        var request = new Login.Request { Email = form.Text("email"), Password = form.Text("password") };
        EmailValue = request.Email;
        var outcome = await HandlerCalls.CallAsync<Login.Request, SessionResponse>(HttpContext.RequestServices, request, JsonNamingPolicy.SnakeCaseLower,
            r => Login.Handle(r, HttpContext, db, sessions, throttling, hasher, cancellationToken), cancellationToken);
        if (outcome.Succeeded)
        {
            // Only a page of the dashboard: a crafted link cannot send the visitor elsewhere after logging in.
            var target = ReturnUrl is { } url && url.StartsWith(DashboardPage.Root, StringComparison.Ordinal) && Url.IsLocalUrl(url) ? url : DashboardPage.Root;
            return LocalRedirect(target);
        }

        Error = outcome.Error;
        Response.StatusCode = Error!.Status;
        return Page();
    }
}
