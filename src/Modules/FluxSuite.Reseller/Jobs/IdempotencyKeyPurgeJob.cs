using FluxSuite.BuildingBlocks.Scheduling;
using FluxSuite.Reseller.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Hangfire;

namespace FluxSuite.Reseller.Jobs;

/// <summary>
/// Deletes idempotency keys past their lifetime (they are already ignored by then; this keeps the
/// table small). Idempotent: a rerun or two instances running it delete nothing twice. Not retried:
/// the next hourly firing does the same work.
/// </summary>
[AutomaticRetry(Attempts = 0)]
internal sealed partial class IdempotencyKeyPurgeJob(ResellerDbContext db, TimeProvider clock, ILogger<IdempotencyKeyPurgeJob> logger) : IRecurringJob
{
    public const string Id = "reseller-idempotency-key-purge";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var deleted = await db.IdempotencyRecords.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            LogPurged(logger, deleted);
        }
    }

    [LoggerMessage(LogLevel.Information, "Purged {Count} expired idempotency key(s)")]
    private static partial void LogPurged(ILogger logger, int count);
}
