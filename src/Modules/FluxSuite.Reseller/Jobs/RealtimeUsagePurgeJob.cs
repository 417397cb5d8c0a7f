using FluxSuite.BuildingBlocks.Scheduling;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Usage;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Jobs;

/// <summary>
/// Deletes per-minute rollups older than the real-time view's widest window, so that table stays the size of an
/// hour of traffic. Idempotent: any instance may run it any number of times. Not retried: the next
/// firing, five minutes later, does the same work.
/// </summary>
[AutomaticRetry(Attempts = 0)]
internal sealed class RealtimeUsagePurgeJob(ResellerDbContext db, TimeProvider clock) : IRecurringJob
{
    public const string Id = "reseller-realtime-usage-purge";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var before = UsageIngest.Truncate(clock.GetUtcNow() - UsageIngest.MinuteRetention, TimeSpan.TicksPerMinute);
        await db.UsageMinutes.Where(m => m.Minute < before).ExecuteDeleteAsync(cancellationToken);
    }
}
