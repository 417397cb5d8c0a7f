using FluxSuite.Metering.Data;
using FluxSuite.Metering.Meters;
using Microsoft.AspNetCore.Mvc;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary><c>/metering/dashboard/features/{id}</c>: one meter with its token to copy; name and unit edited with <c>PATCH /features/{id}</c>.</summary>
internal sealed class FeatureModel(MeteringDbContext db, TimeProvider clock) : DashboardPage
{
    public FeatureResponse Feature { get; private set; } = null!;

    public string? NameValue { get; private set; }

    public string? UnitValue { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        var form = new FormReader(Request.Form);
        // An empty unit clears it, as null does in the API; the name stays required.
        var request = new UpdateFeature.Request { Name = form.Text("name") ?? string.Empty, Unit = form.Text("unit") };
        var updated = await CallAsync<UpdateFeature.Request, FeatureResponse>(request,
            r => UpdateFeature.Handle(id, r, Caller, db, clock, HttpContext.RequestAborted));
        if (updated.Succeeded)
        {
            Notice = "Saved.";
            return Redirect($"{Root}/features/{id}");
        }

        var refusal = Error!;
        if (await LoadAsync(id) is { } failed)
        {
            return failed;
        }

        (NameValue, UnitValue) = (request.Name, request.Unit);
        return Refused(refusal);
    }

    private async Task<IActionResult?> LoadAsync(Guid id)
    {
        var feature = await CallAsync<FeatureResponse>(GetFeature.Handle(id, Caller, db, HttpContext.RequestAborted));
        if (!feature.Succeeded)
        {
            return ReadFailed(feature.Error!);
        }

        Feature = feature.Value!;
        (NameValue, UnitValue) = (Feature.Name, Feature.Unit);
        return null;
    }
}
