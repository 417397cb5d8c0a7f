using System.Security.Claims;
using FluxSuite.BuildingBlocks.Pages;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Customers;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Plans;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary>
/// The organization's newest customers and plans (one page of each, read with the API's list handlers),
/// to choose from in a form and to name the customer and plan of a subscription, which carries only ids.
/// </summary>
internal sealed record SubscriptionLabels(IReadOnlyList<CustomerResponse> Customers, IReadOnlyList<PlanResponse> Plans)
{
    public static async Task<SubscriptionLabels> LoadAsync(ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken)
    {
        var customers = await HandlerCalls.CallAsync<ListResponse<CustomerResponse>>(
            ListCustomers.Handle(caller, db, cancellationToken, null, 1, Paging.MaxPageSize));
        var plans = await HandlerCalls.CallAsync<ListResponse<PlanResponse>>(
            ListPlans.Handle(caller, db, cancellationToken, 1, Paging.MaxPageSize, false));
        return new SubscriptionLabels(customers.Value?.Data ?? [], plans.Value?.Data ?? []);
    }

    public string Customer(Guid id) => Customers.FirstOrDefault(c => c.Id == id)?.Name ?? id.ToString()[..8];

    public string Plan(Guid id) => Plans.FirstOrDefault(p => p.Id == id)?.Name ?? id.ToString()[..8];
}
