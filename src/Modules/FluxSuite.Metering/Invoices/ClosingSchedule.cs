using FluxSuite.Metering.Data;
using FluxSuite.Metering.Subscriptions;

namespace FluxSuite.Metering.Invoices;

/// <summary>
/// Which periods of a subscription are invoiced, and when. Billing starts with the period in which
/// the subscription was created (or its first period, when it starts later): a start date in the past
/// sets the anchor, but periods that had ended before the subscription existed are not invoiced. The
/// last period ends at <see cref="Subscription.EndsAt"/> when the subscription was canceled in it.
/// </summary>
internal static class ClosingSchedule
{
    /// <summary>
    /// The periods that have ended by <paramref name="now"/> and are not closed yet (oldest first, at most
    /// <paramref name="limit"/>), and when the next one ends (null: nothing left to invoice).
    /// </summary>
    /// <param name="subscription">The subscription.</param>
    /// <param name="lastClosedEnd">The end of the last period an invoice closed, if any.</param>
    /// <param name="now">The time.</param>
    /// <param name="limit">The most periods to return; the next close is then already due.</param>
    public static (List<BillingPeriod> Ended, DateTimeOffset? NextCloseAt) Due(
        Subscription subscription, DateTimeOffset? lastClosedEnd, DateTimeOffset now, int limit = int.MaxValue)
    {
        var ended = new List<BillingPeriod>();
        var endsAt = subscription.EndsAt;
        if (endsAt is { } e && lastClosedEnd >= e)
        {
            return (ended, null);
        }

        var anchor = subscription.StartDate;
        var interval = subscription.BillingInterval;
        var from = lastClosedEnd ?? (subscription.CreatedAt > anchor ? subscription.CreatedAt : anchor);
        for (var n = BillingPeriods.Index(anchor, interval, from); ; n++)
        {
            var start = BillingPeriods.Boundary(anchor, interval, n);
            if (endsAt <= start)
            {
                return (ended, null);
            }

            var boundary = BillingPeriods.Boundary(anchor, interval, n + 1);
            var end = endsAt < boundary ? endsAt.Value : boundary;
            if (end > now || ended.Count == limit)
            {
                return (ended, end);
            }

            ended.Add(new BillingPeriod(start, end));
        }
    }

    /// <summary>When a new subscription's first period closes.</summary>
    public static DateTimeOffset? FirstCloseAt(Subscription subscription) => Due(subscription, null, DateTimeOffset.MinValue).NextCloseAt;
}
