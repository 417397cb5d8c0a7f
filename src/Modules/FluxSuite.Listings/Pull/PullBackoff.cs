namespace FluxSuite.Listings.Pull;

/// <summary>
/// When to try again after failures: the interval doubled per consecutive failure, capped, then
/// jittered down by up to a quarter so that sources which failed together do not retry together.
/// The cap holds after jitter.
/// </summary>
internal static class PullBackoff
{
    public static TimeSpan Delay(int intervalMinutes, int consecutiveFailures, TimeSpan cap, double random)
    {
        var exponent = Math.Clamp(consecutiveFailures, 0, 30);
        var minutes = Math.Min(intervalMinutes * Math.Pow(2, exponent), cap.TotalMinutes);
        return TimeSpan.FromMinutes(minutes * (0.75 + (0.25 * Math.Clamp(random, 0, 1))));
    }
}
