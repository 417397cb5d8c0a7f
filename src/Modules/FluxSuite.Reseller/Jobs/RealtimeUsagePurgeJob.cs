using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Usage;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace FluxSuite.Reseller.Jobs;

/// <summary>
/// Deletes per-minute rollups older than the real-time view's widest window, so that table stays the size of an
/// hour of traffic. Idempotent: any instance may run it any number of times.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class RealtimeUsagePurgeJob(ResellerDbContext db, TimeProvider clock) : IJob
{
    public static readonly JobKey Key = new("reseller-realtime-usage-purge", "reseller");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var before = UsageIngest.Truncate(clock.GetUtcNow() - UsageIngest.MinuteRetention, TimeSpan.TicksPerMinute);
        await db.UsageMinutes.Where(m => m.Minute < before).ExecuteDeleteAsync(cancellationToken);
    }
}
