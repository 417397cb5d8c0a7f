using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Meters;
using FluxSuite.Metering.Plans;
using Microsoft.AspNetCore.Mvc;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary><c>/metering/dashboard/plans/{id}</c>: a plan and its charges; a new charge with <c>POST /plans/{id}/charges</c>.</summary>
internal sealed class PlanModel(MeteringDbContext db, TimeProvider clock) : DashboardPage
{
    /// <summary>Rows of the tier table in the form; empty rows are not sent.</summary>
    public const int TierRows = 4;

    public PlanResponse Plan { get; private set; } = null!;

    public IReadOnlyList<FeatureResponse> Meters { get; private set; } = [];

    public AddCharge.Request Input { get; private set; } = new();

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var failed = await LoadAsync(id);
        if (failed is null)
        {
            Input = new AddCharge.Request { Type = Plan.Type == PlanTypes.Fixed ? ChargeRules.Fixed : ChargeRules.Usage };
        }

        return failed ?? Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        var form = new FormReader(Request.Form);
        var tiers = Enumerable.Range(0, TierRows)
            .Select(i => (UpTo: form.Text($"tiers[{i}].up_to"), UnitPrice: form.Text($"tiers[{i}].unit_price"), FlatFee: form.Text($"tiers[{i}].flat_fee")))
            .Where(t => t.UpTo is not null || t.UnitPrice is not null || t.FlatFee is not null)
            .ToList();
        // Rows are sent without the gaps between them, so the API's tiers[i] names the row shown as row i again.
        var rows = tiers.Select((t, i) => new TierRequest
        {
            UpTo = form.Decimal(t.UpTo, $"tiers[{i}].up_to"),
            UnitPrice = form.Decimal(t.UnitPrice, $"tiers[{i}].unit_price"),
            FlatFee = form.Decimal(t.FlatFee, $"tiers[{i}].flat_fee"),
        }).ToList();
        Input = new AddCharge.Request
        {
            Type = form.Text("type"),
            DisplayName = form.Text("display_name"),
            Amount = form.Decimal("amount"),
            MeterId = form.Id("meter_id"),
            PricingModel = form.Text("pricing_model"),
            UnitPrice = form.Decimal("unit_price"),
            Tiers = rows.Count == 0 ? null : rows,
            PackageSize = form.Decimal("package_size"),
            PackagePrice = form.Decimal("package_price"),
        };
        if (form.Problems is null)
        {
            var added = await CallAsync<AddCharge.Request, ChargeResponse>(Input, r => AddCharge.Handle(id, r, Caller, db, clock, HttpContext.RequestAborted));
            if (added.Succeeded)
            {
                Notice = $"Charge \"{added.Value!.DisplayName}\" added.";
                return Redirect($"{Root}/plans/{id}");
            }
        }

        var refusal = form.Problems ?? Error!;
        return await LoadAsync(id) ?? Refused(refusal);
    }

    /// <summary>A tier row's number as sent, for the form shown again.</summary>
    public string? TierValue(int row, Func<TierRequest, decimal?> value) =>
        Input.Tiers is { } tiers && row < tiers.Count ? BuildingBlocks.Pages.PageText.Plain(value(tiers[row])) : null;

    private async Task<IActionResult?> LoadAsync(Guid id)
    {
        var plan = await CallAsync<PlanResponse>(GetPlan.Handle(id, Caller, db, HttpContext.RequestAborted));
        if (!plan.Succeeded)
        {
            return ReadFailed(plan.Error!);
        }

        Plan = plan.Value!;
        var meters = await CallAsync<ListResponse<FeatureResponse>>(ListFeatures.Handle(Caller, db, HttpContext.RequestAborted, 1, Paging.MaxPageSize, false));
        Meters = meters.Value?.Data ?? [];
        return null;
    }
}
