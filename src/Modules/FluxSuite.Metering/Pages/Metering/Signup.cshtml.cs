using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary><c>/metering/dashboard/signup</c>: <c>POST /auth/signup</c>'s handler, which also sets the session cookie.</summary>
internal sealed class SignupModel(MeteringDbContext db, Sessions sessions, IPasswordHasher<User> hasher, TimeProvider clock) : MeteringPage
{
    public string? EmailValue { get; private set; }

    public string? OrganizationValue { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var form = new FormReader(Request.Form);
        var request = new Signup.Request { Email = form.Text("email"), Password = form.Text("password"), OrganizationName = form.Text("organization_name") };
        EmailValue = request.Email;
        OrganizationValue = request.OrganizationName;
        var outcome = await CallAsync<Signup.Request, SessionResponse>(request,
            r => Signup.Handle(r, HttpContext, db, sessions, hasher, clock, cancellationToken));
        return outcome.Succeeded ? LocalRedirect(Root) : Refused(outcome.Error!);
    }
}
