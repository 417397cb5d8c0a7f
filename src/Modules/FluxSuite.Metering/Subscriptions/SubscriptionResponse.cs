using System.Text.Json.Serialization;
using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Subscriptions;

internal sealed record SubscriptionResponse(
    Guid Id,
    [property: JsonPropertyName("customer_id")] Guid CustomerId,
    [property: JsonPropertyName("plan_id")] Guid PlanId,
    [property: JsonPropertyName("billing_interval")] string BillingInterval,
    [property: JsonPropertyName("start_date")] DateTimeOffset StartDate,
    string Status,
    [property: JsonPropertyName("current_period_start")] DateTimeOffset? CurrentPeriodStart,
    [property: JsonPropertyName("current_period_end")] DateTimeOffset? CurrentPeriodEnd,
    [property: JsonPropertyName("cancel_at_period_end")] bool CancelAtPeriodEnd,
    [property: JsonPropertyName("canceled_at")] DateTimeOffset? CanceledAt,
    [property: JsonPropertyName("ends_at")] DateTimeOffset? EndsAt,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt)
{
    /// <summary>
    /// scheduled (before its start), active, or canceled (ended). While it runs, the current period is
    /// the one containing now; a canceled subscription has none.
    /// </summary>
    public static SubscriptionResponse From(Subscription s, DateTimeOffset now)
    {
        var status = StatusAt(s, now);
        BillingPeriod? period = status == "canceled" ? null : BillingPeriods.Containing(s.StartDate, s.BillingInterval, now);
        return new SubscriptionResponse(
            s.Id, s.CustomerId, s.PlanId, s.BillingInterval, s.StartDate, status, period?.Start, period?.End,
            s.EndsAt is not null && status != "canceled", s.CanceledAt, s.EndsAt, s.CreatedAt);
    }

    public static string StatusAt(Subscription s, DateTimeOffset now) =>
        s.EndsAt <= now ? "canceled" : s.StartDate > now ? "scheduled" : "active";
}
