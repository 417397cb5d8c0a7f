using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary><c>POST /metering/dashboard/logout</c>: <c>POST /auth/logout</c>'s handler (the session ends, the cookie goes).</summary>
internal sealed class LogoutModel(MeteringDbContext db, TimeProvider clock) : PageModel
{
    public IActionResult OnGet() => LocalRedirect(MeteringPage.Root);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await Logout.Handle(HttpContext, db, clock, cancellationToken);
        return LocalRedirect($"{MeteringPage.Root}/login");
    }
}
