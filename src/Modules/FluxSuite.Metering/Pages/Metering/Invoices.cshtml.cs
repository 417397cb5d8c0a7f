using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Invoices;
using FluxSuite.Metering.Subscriptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary>
/// <c>/metering/dashboard/invoices</c>: <c>GET /invoices?status=</c> with each invoice's printable page,
/// and "generate now" for a subscription (<c>POST /subscriptions/{id}/generate-invoice</c>).
/// </summary>
internal sealed class InvoicesModel(MeteringDbContext db, InvoiceDrafting drafting, TimeProvider clock, IOptions<InvoiceOptions> options)
    : DashboardPage
{
    public ListResponse<InvoiceResponse>? Invoices { get; private set; }

    public IReadOnlyList<SubscriptionResponse> Subscriptions { get; private set; } = [];

    public SubscriptionLabels Labels { get; private set; } = new([], []);

    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int? PageNumber { get; set; }

    public Guid? SubscriptionId { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var form = new FormReader(Request.Form);
        SubscriptionId = form.Id("subscription_id");
        if (SubscriptionId is null)
        {
            form.Add("subscription_id", "is required.");
        }

        if (form.Problems is null)
        {
            var generated = await CallAsync<InvoiceResponse>(GenerateInvoice.Handle(SubscriptionId!.Value, Caller, drafting, clock, options, HttpContext.RequestAborted));
            if (generated.Succeeded)
            {
                Notice = $"Invoice generated for {generated.Value!.CustomerName}: a DRAFT of {PageMoney.Amount(generated.Value.Total, generated.Value.Currency)}.";
                return Redirect($"{Root}/invoices");
            }
        }

        var refusal = form.Problems ?? Error!;
        return await LoadAsync() ?? Refused(refusal);
    }

    private async Task<IActionResult?> LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        var list = await CallAsync<ListResponse<InvoiceResponse>>(ListInvoices.Handle(Caller, db, options, ct, Status, null, null, PageNumber, null));
        if (!list.Succeeded)
        {
            // A bad status filter is shown on the page, like any refusal; the list stays empty.
            Response.StatusCode = list.Error!.Status;
            return null;
        }

        Invoices = list.Value;
        Subscriptions = (await CallAsync<ListResponse<SubscriptionResponse>>(
            ListSubscriptions.Handle(Caller, db, clock, ct, null, null, "active", 1, Paging.MaxPageSize))).Value?.Data ?? [];
        Labels = await SubscriptionLabels.LoadAsync(Caller, db, ct);
        return null;
    }
}
