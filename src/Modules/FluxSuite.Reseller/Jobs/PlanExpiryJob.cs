using FluxSuite.BuildingBlocks.Scheduling;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Webhooks;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Jobs;

/// <summary>
/// Marks time-based plans past <c>expires_at</c> as <c>expired</c> and, in the same transaction, gives their dedicated
/// stock back (a dedicated ISP plan's IPs to its pool, a dedicated mobile device to its location) and writes their
/// <c>plan.expired</c> events. Each plan is claimed with <c>FOR UPDATE SKIP LOCKED</c> and changed only while still
/// <c>active</c>, so a rerun, two instances running it at once or a crash mid-run never expires a plan (or returns its
/// stock) twice. Before that, plans that expire within 24 hours get their one <c>plan.expiring</c> event (a notice row
/// per plan keeps it to one). Not retried: it fires every minute.
/// </summary>
[AutomaticRetry(Attempts = 0)]
internal sealed partial class PlanExpiryJob(ResellerDbContext db, TimeProvider clock, IOptions<ResellerOptions> options, ILogger<PlanExpiryJob> logger)
    : IRecurringJob
{
    public const string Id = "reseller-plan-expiry";

    /// <summary>Plans per transaction: short transactions, however many plans expire at once.</summary>
    public const int BatchSize = 500;

    public Task RunAsync(CancellationToken cancellationToken) => ExpireDueAsync(cancellationToken);

    /// <summary>Expires every due plan; returns how many.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        int noticed;
        do
        {
            noticed = await InBatchesAsync(() => NoticeExpiringBatchAsync(now, cancellationToken), cancellationToken);
        }
        while (noticed == BatchSize);

        var total = 0;
        while (true)
        {
            var expired = await InBatchesAsync(() => ExpireBatchAsync(now, cancellationToken), cancellationToken);
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

    /// <summary>Runs one batch in a transaction of its own, with the events it writes.</summary>
    private async Task<int> InBatchesAsync(Func<Task<List<Guid>>> batch, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = await batch();
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return ids.Count;
    }

    private async Task<List<Guid>> NoticeExpiringBatchAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = now + ResellerWebhookEvents.ExpiringNotice;
        var ids = await db.Database.SqlQuery<Guid>($"""
            INSERT INTO reseller.plan_notices (plan_id, kind, created_at)
            SELECT p.id, 'expiring', {now} FROM reseller.plans p
            WHERE p.status = 'active' AND p.expires_at > {now} AND p.expires_at <= {until}
              AND NOT EXISTS (SELECT 1 FROM reseller.plan_notices n WHERE n.plan_id = p.id AND n.kind = 'expiring')
            ORDER BY p.id LIMIT {BatchSize}
            ON CONFLICT DO NOTHING
            RETURNING plan_id AS "Value"
            """).ToListAsync(cancellationToken);
        await AddEventsAsync(ResellerWebhookEvents.PlanExpiring, ids, now, cancellationToken);
        return ids;
    }

    private async Task<List<Guid>> ExpireBatchAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = await db.Database.SqlQuery<Guid>($"""
            WITH due AS (
                SELECT id FROM reseller.plans
                WHERE status = 'active' AND expires_at <= {now}
                ORDER BY id LIMIT {BatchSize}
                FOR UPDATE SKIP LOCKED),
            expired AS (
                UPDATE reseller.plans p SET status = 'expired', updated_at = {now}
                FROM due WHERE p.id = due.id
                RETURNING p.id, p.mode, p.product, p.pool, p.quantity, p.location),
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
            SELECT id AS "Value" FROM expired
            """).ToListAsync(cancellationToken);
        await AddEventsAsync(ResellerWebhookEvents.PlanExpired, ids, now, cancellationToken);
        return ids;
    }

    private async Task AddEventsAsync(string type, List<Guid> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        var plans = await db.Plans.AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(cancellationToken);
        if (await ResellerWebhookEvents.AddPlansAsync(db, type, plans, options.Value, now, cancellationToken) > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    [LoggerMessage(LogLevel.Information, "Expired {Count} plan(s) past their expires_at")]
    private static partial void LogExpired(ILogger logger, int count);
}
