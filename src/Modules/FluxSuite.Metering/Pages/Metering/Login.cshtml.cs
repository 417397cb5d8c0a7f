using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary><c>/metering/dashboard/login</c>: <c>POST /auth/login</c>'s handler (its throttling included), then back where the visitor was going.</summary>
internal sealed class LoginModel(MeteringDbContext db, Sessions sessions, LoginThrottling throttling, IPasswordHasher<User> hasher) : MeteringPage
{
    public string? EmailValue { get; private set; }

    [BindProperty(SupportsGet = true, Name = "returnUrl")]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var form = new FormReader(Request.Form);
        var request = new Login.Request { Email = form.Text("email"), Password = form.Text("password") };
        EmailValue = request.Email;
        var outcome = await CallAsync<Login.Request, SessionResponse>(request,
            r => Login.Handle(r, HttpContext, db, sessions, throttling, hasher, cancellationToken));
        if (!outcome.Succeeded)
        {
            return Refused(outcome.Error!);
        }

        // Only a page of the dashboard: a crafted link cannot send the visitor elsewhere after logging in.
        var target = ReturnUrl is { } url && url.StartsWith(Root, StringComparison.Ordinal) && Url.IsLocalUrl(url) ? url : Root;
        return LocalRedirect(target);
    }
}
