using FluxSuite.Metering.Common;
using FluxSuite.Metering.Customers;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Mvc;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary><c>/metering/dashboard/customers</c>: <c>GET /customers?search=</c> and <c>POST /customers</c>.</summary>
internal sealed class CustomersModel(MeteringDbContext db, TimeProvider clock) : DashboardPage
{
    public ListResponse<CustomerResponse>? Customers { get; private set; }

    public CreateCustomer.Request Input { get; private set; } = new();

    [BindProperty(SupportsGet = true, Name = "page")]
    public int? PageNumber { get; set; }

    [BindProperty(SupportsGet = true, Name = "search")]
    public string? Search { get; set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var form = new FormReader(Request.Form);
        Input = new CreateCustomer.Request { Name = form.Text("name"), Email = form.Text("email"), ExternalId = form.Text("external_id") };
        var created = await CallAsync<CreateCustomer.Request, CustomerResponse>(Input, r => CreateCustomer.Handle(r, Caller, db, clock, HttpContext.RequestAborted));
        if (created.Succeeded)
        {
            Notice = $"Customer \"{created.Value!.Name}\" created: the SDK names them {created.Value.ExternalId}.";
            return Redirect($"{Root}/customers");
        }

        var refusal = Error!;
        return await LoadAsync() ?? Refused(refusal);
    }

    private async Task<IActionResult?> LoadAsync()
    {
        var list = await CallAsync<ListResponse<CustomerResponse>>(ListCustomers.Handle(Caller, db, HttpContext.RequestAborted, Search, PageNumber, null));
        Customers = list.Value;
        return list.Succeeded ? null : ReadFailed(list.Error!);
    }
}
