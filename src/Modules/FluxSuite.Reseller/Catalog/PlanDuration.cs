namespace FluxSuite.Reseller.Catalog;

/// <summary>The reference's <c>duration</c> values and which products may use each.</summary>
internal static class PlanDuration
{
    public const string Trial = "trial";
    public const string OneHour = "1_hour";

    private static readonly Dictionary<string, int> Days = new(StringComparer.Ordinal)
    {
        ["1_day"] = 1,
        ["7_days"] = 7,
        ["14_days"] = 14,
        ["30_days"] = 30,
        ["60_days"] = 60,
        ["90_days"] = 90,
    };

    public static IReadOnlyList<string> All { get; } = [Trial, OneHour, .. Days.Keys];

    /// <summary>Durations a product can be bought for (a time-billed hybrid, unlimited, dedicated mobile).</summary>
    public static IReadOnlyList<string> For(Product product) => product.Billing() switch
    {
        BillingModel.Hybrid => [OneHour, "1_day", "7_days", "14_days", "30_days", "60_days", "90_days"],
        // The same periods the reference allows when extending (add_days 1, 7, 30, 60), plus the trial.
        BillingModel.Unlimited => [Trial, "1_day", "7_days", "30_days", "60_days"],
        // The same periods as extending (add_days 7, 14, 30).
        BillingModel.DedicatedMobile => ["7_days", "14_days", "30_days"],
        BillingModel.DedicatedIsp => ["30_days"],
        _ => [],
    };

    /// <summary>Days in a duration; <c>1_hour</c> and <c>trial</c> have none.</summary>
    public static int? DaysIn(string duration) => Days.TryGetValue(duration, out var days) ? days : null;
}
