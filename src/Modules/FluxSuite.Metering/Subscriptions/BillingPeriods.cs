namespace FluxSuite.Metering.Subscriptions;

/// <summary>A billing period, start inclusive, end exclusive.</summary>
internal readonly record struct BillingPeriod(DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// Periods anchored on the subscription's start (UTC). The n-th boundary is always computed from the
/// anchor, never from the previous boundary, so a month-end anchor clamps and recovers:
/// Jan 31 → Feb 28 (29 in leap years) → Mar 31 → Apr 30. A yearly Feb 29 anchor falls on Feb 28.
/// </summary>
internal static class BillingPeriods
{
    public static DateTimeOffset Boundary(DateTimeOffset anchor, string interval, int n)
    {
        var utc = anchor.ToUniversalTime();
        return interval == Plans.BillingIntervals.Year ? utc.AddYears(n) : utc.AddMonths(n);
    }

    /// <summary>The period containing <paramref name="at"/>; the first period when <paramref name="at"/> is before the anchor.</summary>
    public static BillingPeriod Containing(DateTimeOffset anchor, string interval, DateTimeOffset at)
    {
        var n = Index(anchor, interval, at);
        return new BillingPeriod(Boundary(anchor, interval, n), Boundary(anchor, interval, n + 1));
    }

    /// <summary>The number of the period containing <paramref name="at"/> (0 for the first; never negative).</summary>
    public static int Index(DateTimeOffset anchor, string interval, DateTimeOffset at)
    {
        var a = anchor.ToUniversalTime();
        var t = at.ToUniversalTime();
        if (t < a)
        {
            return 0;
        }

        var months = ((t.Year - a.Year) * 12) + t.Month - a.Month;
        var n = interval == Plans.BillingIntervals.Year ? months / 12 : months;
        while (n > 0 && Boundary(a, interval, n) > t)
        {
            n--;
        }

        while (Boundary(a, interval, n + 1) <= t)
        {
            n++;
        }

        return n;
    }
}
