using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Subscriptions;
using Microsoft.AspNetCore.Mvc;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary><c>/metering/dashboard/subscriptions</c>: <c>GET /subscriptions</c> and <c>POST /subscriptions</c>.</summary>
internal sealed class SubscriptionsModel(MeteringDbContext db, TimeProvider clock) : DashboardPage
{
    public ListResponse<SubscriptionResponse>? Subscriptions { get; private set; }

    public SubscriptionLabels Labels { get; private set; } = new([], []);

    public CreateSubscription.Request Input { get; private set; } = new();

    [BindProperty(SupportsGet = true, Name = "page")]
    public int? PageNumber { get; set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var form = new FormReader(Request.Form);
        Input = new CreateSubscription.Request
        {
            CustomerId = form.Id("customer_id"),
            PlanId = form.Id("plan_id"),
            BillingInterval = form.Text("billing_interval"),
            StartDate = form.Time("start_date"),
        };
        if (form.Problems is null)
        {
            var created = await CallAsync<CreateSubscription.Request, SubscriptionResponse>(Input,
                r => CreateSubscription.Handle(r, Caller, db, clock, HttpContext.RequestAborted));
            if (created.Succeeded)
            {
                Notice = "Subscription created.";
                return Redirect($"{Root}/subscriptions/{created.Value!.Id}");
            }
        }

        var refusal = form.Problems ?? Error!;
        return await LoadAsync() ?? Refused(refusal);
    }

    private async Task<IActionResult?> LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        var list = await CallAsync<ListResponse<SubscriptionResponse>>(
            ListSubscriptions.Handle(Caller, db, clock, ct, null, null, null, PageNumber, null));
        if (!list.Succeeded)
        {
            return ReadFailed(list.Error!);
        }

        Subscriptions = list.Value;
        Labels = await SubscriptionLabels.LoadAsync(Caller, db, ct);
        return null;
    }
}
