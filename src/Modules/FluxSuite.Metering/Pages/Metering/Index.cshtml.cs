namespace FluxSuite.Metering.Pages.Metering;

/// <summary><c>/metering/dashboard</c>: where to start, in the quickstart's order.</summary>
internal sealed class IndexModel : DashboardPage
{
    public void OnGet()
    {
    }
}
