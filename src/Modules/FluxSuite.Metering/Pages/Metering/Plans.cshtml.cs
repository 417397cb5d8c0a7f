using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Plans;
using Microsoft.AspNetCore.Mvc;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary><c>/metering/dashboard/plans</c>: plans with their charges (<c>GET /plans</c>) and a new plan (<c>POST /plans</c>).</summary>
internal sealed class PlansModel(MeteringDbContext db, TimeProvider clock) : DashboardPage
{
    public ListResponse<PlanResponse>? Plans { get; private set; }

    public CreatePlan.Request Input { get; private set; } = new() { Type = PlanTypes.Usage, BillingInterval = BillingIntervals.Month, Currency = "USD" };

    [BindProperty(SupportsGet = true, Name = "page")]
    public int? PageNumber { get; set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var form = new FormReader(Request.Form);
        Input = new CreatePlan.Request
        {
            Name = form.Text("name"),
            LookupId = form.Text("lookup_id"),
            Description = form.Text("description"),
            Type = form.Text("type"),
            BillingInterval = form.Text("billing_interval"),
            Currency = form.Text("currency"),
        };
        var created = await CallAsync<CreatePlan.Request, PlanResponse>(Input, r => CreatePlan.Handle(r, Caller, db, clock, HttpContext.RequestAborted));
        if (created.Succeeded)
        {
            Notice = $"Plan \"{created.Value!.Name}\" created: add its charges.";
            return Redirect($"{Root}/plans/{created.Value.Id}");
        }

        var refusal = Error!;
        return await LoadAsync() ?? Refused(refusal);
    }

    private async Task<IActionResult?> LoadAsync()
    {
        var list = await CallAsync<ListResponse<PlanResponse>>(ListPlans.Handle(Caller, db, HttpContext.RequestAborted, PageNumber, null, true));
        Plans = list.Value;
        return list.Succeeded ? null : ReadFailed(list.Error!);
    }
}
