using System.Text.Json;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Pages;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary><c>/metering/dashboard/signup</c>: <c>POST /auth/signup</c>'s handler, which also sets the session cookie.</summary>
internal sealed class SignupModel(MeteringDbContext db, Sessions sessions, IPasswordHasher<User> hasher, TimeProvider clock) : PageModel
{
    public ApiError? Error { get; private set; }

    public string? EmailValue { get; private set; }

    public string? OrganizationValue { get; private set; }

    public IReadOnlyList<string> ErrorsFor(string field) =>
        Error?.Errors is { } errors && errors.TryGetValue(field, out var problems) ? problems : [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var form = new FormReader(Request.Form);
        var request = new Signup.Request { Email = form.Text("email"), Password = form.Text("password"), OrganizationName = form.Text("organization_name") };
        EmailValue = request.Email;
        OrganizationValue = request.OrganizationName;
        var outcome = await HandlerCalls.CallAsync<Signup.Request, SessionResponse>(HttpContext.RequestServices, request, JsonNamingPolicy.SnakeCaseLower,
            r => Signup.Handle(r, HttpContext, db, sessions, hasher, clock, cancellationToken), cancellationToken);
        if (outcome.Succeeded)
        {
            return LocalRedirect(DashboardPage.Root);
        }

        Error = outcome.Error;
        Response.StatusCode = Error!.Status;
        return Page();
    }
}
