using FluxSuite.Listings.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FluxSuite.Listings.Pull;

/// <summary>
/// Finds the pulls that are due and runs them. Each source is claimed with a lease in one statement
/// (<c>FOR UPDATE SKIP LOCKED</c>), so two instances, or a scheduled and a manual run, never pull the
/// same source at once; a run that dies leaves a lease that expires, and the source is pulled again.
/// </summary>
internal sealed partial class PullDispatcher(
    IServiceScopeFactory scopes,
    IOptions<ListingsOptions> options,
    TimeProvider clock,
    ILogger<PullDispatcher> logger)
{
    private const int Parallelism = 4;

    /// <summary>Runs every due pull (up to one batch); returns how many ran.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var claimed = await ClaimDueAsync(cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }

        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (providerId, token) =>
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<PullRunner>().RunClaimedAsync(providerId, token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The lease expires and the source is tried again; the others go on.
                    LogRunFailed(logger, providerId, ex);
                }
            });
        return claimed.Count;
    }

    private async Task<IReadOnlyList<Guid>> ClaimDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ListingsDbContext>();
        var runner = scope.ServiceProvider.GetRequiredService<PullRunner>();
        var now = clock.GetUtcNow();
        var until = now + runner.Lease;
        var batch = options.Value.Pull.BatchSize;
        return await db.Database.SqlQuery<Guid>(
            $"""
            UPDATE listings.pull_sources s SET lease_until = {until}
            WHERE s.provider_id IN (
                SELECT provider_id FROM listings.pull_sources
                WHERE enabled AND next_run_at <= {now} AND (lease_until IS NULL OR lease_until <= {now})
                ORDER BY next_run_at
                LIMIT {batch}
                FOR UPDATE SKIP LOCKED)
            RETURNING s.provider_id AS "Value"
            """).ToListAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Error, "Pull run for provider {ProviderId} failed unexpectedly")]
    private static partial void LogRunFailed(ILogger logger, Guid providerId, Exception exception);
}
