using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Meters;
using Microsoft.AspNetCore.Mvc;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary><c>/metering/dashboard/features</c>: the meters (<c>GET /features</c>) and a new one (<c>POST /features</c>).</summary>
internal sealed class FeaturesModel(MeteringDbContext db, TimeProvider clock) : DashboardPage
{
    public ListResponse<FeatureResponse>? Features { get; private set; }

    public CreateFeature.Request Input { get; private set; } = new() { Type = "meter", AggregationType = Aggregations.Sum };

    [BindProperty(SupportsGet = true, Name = "page")]
    public int? PageNumber { get; set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var form = new FormReader(Request.Form);
        Input = new CreateFeature.Request
        {
            Name = form.Text("name"),
            LookupKey = form.Text("lookup_key"),
            Type = form.Text("type"),
            MeterName = form.Text("meter_name"),
            PropertyName = form.Text("property_name"),
            AggregationType = form.Text("aggregation_type"),
            Unit = form.Text("unit"),
        };
        var created = await CallAsync<CreateFeature.Request, FeatureResponse>(Input,
            r => CreateFeature.Handle(r, Caller, db, clock, HttpContext.RequestAborted));
        if (created.Succeeded)
        {
            Notice = $"Meter \"{created.Value!.Name}\" created. Its meter token is below: the SDK's track calls name it.";
            return Redirect($"{Root}/features/{created.Value.Id}");
        }

        var refusal = Error!;
        return await LoadAsync() ?? Refused(refusal);
    }

    private async Task<IActionResult?> LoadAsync()
    {
        var list = await CallAsync<ListResponse<FeatureResponse>>(ListFeatures.Handle(Caller, db, HttpContext.RequestAborted, PageNumber, null, true));
        Features = list.Value;
        return list.Succeeded ? null : ReadFailed(list.Error!);
    }
}
