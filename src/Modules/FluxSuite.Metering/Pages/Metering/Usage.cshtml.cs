using FluxSuite.Metering.Common;
using FluxSuite.Metering.Customers;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Meters;
using FluxSuite.Metering.Usage;
using Microsoft.AspNetCore.Mvc;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary>
/// <c>/metering/dashboard/usage</c>: <c>GET /usage</c> for a meter (and a customer, or all), a range and
/// a granularity, drawn as a bar chart made here as SVG, with the buckets and the total as a table.
/// The query string is the API's own.
/// </summary>
internal sealed class UsageModel(MeteringDbContext db, UsageQueries usage, TimeProvider clock) : DashboardPage
{
    public static readonly string[] Granularities = ["hour", "day", "month"];

    public IReadOnlyList<FeatureResponse> Meters { get; private set; } = [];

    public IReadOnlyList<CustomerResponse> Customers { get; private set; } = [];

    public GetUsage.Response? Usage { get; private set; }

    public UsageChart? Chart { get; private set; }

    public Guid? MeterId { get; private set; }

    public Guid? CustomerId { get; private set; }

    public string? Granularity { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        var meters = await CallAsync<ListResponse<FeatureResponse>>(ListFeatures.Handle(Caller, db, ct, 1, Paging.MaxPageSize, true));
        Meters = meters.Value?.Data ?? [];
        Customers = (await CallAsync<ListResponse<CustomerResponse>>(ListCustomers.Handle(Caller, db, ct, null, 1, Paging.MaxPageSize))).Value?.Data ?? [];

        var query = new FormReader(Request.Query);
        MeterId = query.Id("meter_id") ?? Meters.FirstOrDefault()?.MeterId;
        CustomerId = query.Id("customer_id");
        Granularity = query.Text("granularity");
        var from = query.Time("from");
        var to = query.Time("to");
        if (query.Problems is { } problems)
        {
            return Refused(problems);
        }

        if (MeterId is null)
        {
            return Page();
        }

        var read = await CallAsync<GetUsage.Response>(GetUsage.Handle(Caller, db, usage, clock, ct, MeterId, CustomerId, from, to, Granularity));
        if (!read.Succeeded)
        {
            return Refused(read.Error!);
        }

        Usage = read.Value;
        Chart = UsageChart.Of(Usage!);
        return Page();
    }

    public string MeterName(Guid meterId) => Meters.FirstOrDefault(m => m.MeterId == meterId)?.Name ?? meterId.ToString();

    public static string? Field(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
