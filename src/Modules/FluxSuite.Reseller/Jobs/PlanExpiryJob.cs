using FluxSuite.BuildingBlocks.Scheduling;
using FluxSuite.Reseller.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FluxSuite.Reseller.Jobs;

/// <summary>
/// Marks time-based plans past <c>expires_at</c> as <c>expired</c> and, in the same transaction, gives their dedicated
/// stock back (a dedicated ISP plan's IPs to its pool, a dedicated mobile device to its location). Each plan is claimed
/// with <c>FOR UPDATE SKIP LOCKED</c> and changed only while still <c>active</c>, so a rerun, two instances running it
/// at once or a crash mid-run never expires a plan (or returns its stock) twice. Not retried: it fires every minute.
/// </summary>
[AutomaticRetry(Attempts = 0)]
internal sealed partial class PlanExpiryJob(ResellerDbContext db, TimeProvider clock, ILogger<PlanExpiryJob> logger) : IRecurringJob
{
    public const string Id = "reseller-plan-expiry";

    /// <summary>Plans per transaction: short transactions, however many plans expire at once.</summary>
    public const int BatchSize = 500;

    public Task RunAsync(CancellationToken cancellationToken) => ExpireDueAsync(cancellationToken);

    /// <summary>Expires every due plan; returns how many.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var total = 0;
        while (true)
        {
            var expired = await ExpireBatchAsync(now, cancellationToken);
            total += expired;
            if (expired < BatchSize)
            {
                break;
            }
        }

        if (total > 0)
        {
            LogExpired(logger, total);
        }

        return total;
    }

    private async Task<int> ExpireBatchAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var counts = await db.Database.SqlQuery<int>($"""
            WITH due AS (
                SELECT id FROM reseller.plans
                WHERE status = 'active' AND expires_at <= {now}
                ORDER BY id LIMIT {BatchSize}
                FOR UPDATE SKIP LOCKED),
            expired AS (
                UPDATE reseller.plans p SET status = 'expired', updated_at = {now}
                FROM due WHERE p.id = due.id
                RETURNING p.mode, p.product, p.pool, p.quantity, p.location),
            pools AS (
                UPDATE reseller.pools pl SET stock = pl.stock + e.ips, updated_at = {now}
                FROM (SELECT mode, pool, sum(quantity)::int AS ips FROM expired WHERE product = 'dedicated_isp' GROUP BY mode, pool) e
                WHERE pl.mode = e.mode AND pl.name = e.pool
                RETURNING 1),
            devices AS (
                UPDATE reseller.dedicated_mobile_stock s SET stock = s.stock + e.devices, updated_at = {now}
                FROM (SELECT mode, location, count(*)::int AS devices FROM expired WHERE product = 'dedicated_mobile' GROUP BY mode, location) e
                WHERE s.mode = e.mode AND s.location = e.location
                RETURNING 1)
            SELECT count(*)::int AS "Value" FROM expired
            """).ToListAsync(cancellationToken);
        return counts.Single();
    }

    [LoggerMessage(LogLevel.Information, "Expired {Count} plan(s) past their expires_at")]
    private static partial void LogExpired(ILogger logger, int count);
}
