using System.Security.Claims;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Plans;
using FluxSuite.Metering.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Usage;

/// <summary>
/// <c>GET /customers/{id}/usage</c>: for each running subscription, the current period's usage per
/// priced meter and the cost so far: each charge's amount (FIXED in full, USAGE priced by its model on
/// the period's usage so far), rounded to the currency's minor unit half away from zero, and their sum.
/// </summary>
internal static class GetCustomerUsage
{
    internal sealed record MeterUsage(
        [property: JsonPropertyName("meter_id")] Guid MeterId,
        [property: JsonPropertyName("feature_id")] Guid FeatureId,
        string Name,
        [property: JsonPropertyName("aggregation_type")] string AggregationType,
        string? Unit,
        decimal? Quantity);

    internal sealed record ChargeCost(
        [property: JsonPropertyName("charge_id")] Guid ChargeId,
        string Type,
        [property: JsonPropertyName("display_name")] string DisplayName,
        [property: JsonPropertyName("meter_id")] Guid? MeterId,
        [property: JsonPropertyName("pricing_model")] string? PricingModel,
        decimal? Quantity,
        decimal Amount);

    internal sealed record SubscriptionUsage(
        [property: JsonPropertyName("subscription_id")] Guid SubscriptionId,
        [property: JsonPropertyName("plan_id")] Guid PlanId,
        [property: JsonPropertyName("plan_name")] string PlanName,
        string Currency,
        [property: JsonPropertyName("current_period_start")] DateTimeOffset CurrentPeriodStart,
        [property: JsonPropertyName("current_period_end")] DateTimeOffset CurrentPeriodEnd,
        IReadOnlyList<MeterUsage> Usage,
        IReadOnlyList<ChargeCost> Charges,
        decimal Total);

    internal sealed record Response(
        [property: JsonPropertyName("customer_id")] Guid CustomerId,
        [property: JsonPropertyName("external_id")] string ExternalId,
        DateTimeOffset At,
        IReadOnlyList<SubscriptionUsage> Subscriptions);

    public static async Task<ApiOk<Response>> Handle(
        Guid id, ClaimsPrincipal caller, MeteringDbContext db, UsageQueries usage, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var customer = await db.Set<Customer>().AsNoTracking().FindOwnedAsync(id, organizationId, cancellationToken);

        var now = clock.GetUtcNow();
        var subscriptions = await db.Set<Subscription>().AsNoTracking()
            .Where(s => s.CustomerId == id && s.StartDate <= now && (s.EndsAt == null || s.EndsAt > now))
            .OrderBy(s => s.CreatedAt).ToListAsync(cancellationToken);
        var planIds = subscriptions.Select(s => s.PlanId).Distinct().ToList();
        var plans = await db.Set<Plan>().AsNoTracking().Where(p => planIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var charges = await db.Set<Charge>().AsNoTracking().Where(c => planIds.Contains(c.PlanId) && c.ArchivedAt == null)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).ToListAsync(cancellationToken);
        var meterIds = charges.Where(c => c.MeterId != null).Select(c => c.MeterId!.Value).Distinct().ToList();
        var meters = await db.Set<Feature>().AsNoTracking().Where(f => meterIds.Contains(f.MeterId)).ToDictionaryAsync(f => f.MeterId, cancellationToken);

        var result = new List<SubscriptionUsage>();
        foreach (var subscription in subscriptions)
        {
            var plan = plans[subscription.PlanId];
            var period = BillingPeriods.Containing(subscription.StartDate, subscription.BillingInterval, now);
            var planCharges = charges.Where(c => c.PlanId == plan.Id).ToList();
            var quantities = new Dictionary<Guid, decimal?>();
            foreach (var meterId in planCharges.Where(c => c.MeterId != null).Select(c => c.MeterId!.Value).Distinct())
            {
                var meter = meters[meterId];
                quantities[meterId] = await usage.TotalAsync(meter, customer.Id, period.Start, period.End, cancellationToken)
                                      ?? UsageQueries.Empty(meter.AggregationType);
            }

            var costs = planCharges.Select(c =>
            {
                var quantity = c.MeterId is { } m ? quantities[m] : null;
                var amount = c.Type == ChargeRules.Fixed ? c.Amount!.Value : Pricing.Amount(c, quantity ?? 0m);
                return new ChargeCost(c.Id, c.Type, c.DisplayName, c.MeterId, c.PricingModel, quantity.Normalize(),
                    amount.RoundToMinorUnit(plan.Currency).Normalize());
            }).ToList();
            result.Add(new SubscriptionUsage(
                subscription.Id, plan.Id, plan.Name, plan.Currency, period.Start, period.End,
                [.. quantities.Select(q => new MeterUsage(q.Key, meters[q.Key].Id, meters[q.Key].Name, meters[q.Key].AggregationType, meters[q.Key].Unit, q.Value.Normalize()))],
                costs, costs.Sum(c => c.Amount).Normalize()));
        }

        return ApiResults.Ok(new Response(customer.Id, customer.ExternalId, now, result));
    }
}
