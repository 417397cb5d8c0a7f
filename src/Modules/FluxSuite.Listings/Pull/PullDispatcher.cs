using FluxSuite.Listings.Data;
using FluxSuite.Listings.Jobs;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FluxSuite.Listings.Pull;

/// <summary>A source claimed for one pull: the claim's lease end is the token its sync job carries.</summary>
internal sealed record PullClaim(Guid ProviderId, string Slug, DateTimeOffset LeaseUntil);

/// <summary>
/// Finds the pulls that are due and hands each to a background job of its own, so the dashboard shows
/// every provider's sync with its outcome. Each source is claimed with a lease in one statement
/// (<c>FOR UPDATE SKIP LOCKED</c>), so two instances, or a scheduled and a manual run, never pull the
/// same source at once; a claim whose job never runs (the instance died before it was enqueued)
/// expires, and the source is claimed again.
/// </summary>
internal sealed partial class PullDispatcher(
    ListingsDbContext db,
    PullRunner runner,
    IBackgroundJobClient jobs,
    IOptions<ListingsOptions> options,
    TimeProvider clock,
    ILogger<PullDispatcher> logger)
{
    public const string Queue = "listings";

    /// <summary>Claims every due source (up to one batch) and enqueues its sync job; returns the claims.</summary>
    public async Task<IReadOnlyList<PullClaim>> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var claims = await ClaimDueAsync(cancellationToken);
        foreach (var claim in claims)
        {
            jobs.Create(Job.FromExpression<PullSyncJob>(
                job => job.RunAsync(claim.ProviderId, claim.Slug, claim.LeaseUntil, CancellationToken.None), Queue), new EnqueuedState(Queue));
        }

        if (claims.Count > 0)
        {
            LogDispatched(logger, claims.Count);
        }

        return claims;
    }

    private async Task<List<PullClaim>> ClaimDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // PostgreSQL keeps microseconds: the token must survive the round trip exactly.
        var until = PullRunner.ToStoredPrecision(now + runner.Lease);
        var batch = options.Value.Pull.BatchSize;
        return await db.Database.SqlQuery<PullClaim>(
            $"""
            UPDATE listings.pull_sources s SET lease_until = {until}
            FROM listings.providers p
            WHERE p.id = s.provider_id AND s.provider_id IN (
                SELECT provider_id FROM listings.pull_sources
                WHERE enabled AND next_run_at <= {now} AND (lease_until IS NULL OR lease_until <= {now})
                ORDER BY next_run_at
                LIMIT {batch}
                FOR UPDATE SKIP LOCKED)
            RETURNING s.provider_id AS "ProviderId", p.slug AS "Slug", s.lease_until AS "LeaseUntil"
            """).ToListAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Information, "Enqueued the pull sync of {Count} due provider(s)")]
    private static partial void LogDispatched(ILogger logger, int count);
}
