using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Invoices;
using FluxSuite.Metering.Subscriptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary>
/// <c>/metering/dashboard/subscriptions/{id}</c>: the subscription and its invoices
/// (<c>GET /invoices?subscription_id=</c>); "Generate invoice now" is <c>POST /subscriptions/{id}/generate-invoice</c>.
/// </summary>
internal sealed class SubscriptionModel(MeteringDbContext db, InvoiceDrafting drafting, TimeProvider clock, IOptions<InvoiceOptions> options)
    : DashboardPage
{
    public SubscriptionResponse Subscription { get; private set; } = null!;

    public ListResponse<InvoiceResponse>? Invoices { get; private set; }

    public SubscriptionLabels Labels { get; private set; } = new([], []);

    [BindProperty(SupportsGet = true, Name = "page")]
    public int? PageNumber { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id) ?? Page();

    public async Task<IActionResult> OnPostGenerateAsync(Guid id)
    {
        var generated = await CallAsync<InvoiceResponse>(GenerateInvoice.Handle(id, Caller, drafting, clock, options, HttpContext.RequestAborted));
        if (generated.Succeeded)
        {
            Notice = $"Invoice generated: a DRAFT of {PageMoney.Amount(generated.Value!.Total, generated.Value.Currency)}.";
            return Redirect($"{Root}/subscriptions/{id}");
        }

        var refusal = Error!;
        return await LoadAsync(id) ?? Refused(refusal);
    }

    private async Task<IActionResult?> LoadAsync(Guid id)
    {
        var ct = HttpContext.RequestAborted;
        var subscription = await CallAsync<SubscriptionResponse>(GetSubscription.Handle(id, Caller, db, clock, ct));
        if (!subscription.Succeeded)
        {
            return ReadFailed(subscription.Error!);
        }

        Subscription = subscription.Value!;
        Labels = await SubscriptionLabels.LoadAsync(Caller, db, ct);
        Invoices = (await CallAsync<ListResponse<InvoiceResponse>>(ListInvoices.Handle(Caller, db, options, ct, null, null, id, PageNumber, null))).Value;
        return null;
    }
}
