using FluxSuite.BuildingBlocks.Scheduling;
using FluxSuite.Listings.Pull;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace FluxSuite.Listings.Jobs;

/// <summary>
/// The recurring pull dispatcher (<c>listings-pull-dispatch</c>): claims the due sources and enqueues a
/// <see cref="PullSyncJob"/> for each. Not retried: the next firing looks again, and a claim whose job
/// was never enqueued expires and is taken again.
/// </summary>
[AutomaticRetry(Attempts = 0)]
internal sealed class PullDispatchJob(PullDispatcher dispatcher) : IRecurringJob
{
    public const string Id = "listings-pull-dispatch";

    public Task RunAsync(CancellationToken cancellationToken) => dispatcher.DispatchDueAsync(cancellationToken);
}

/// <summary>
/// One provider's pull, as a background job of its own. It runs only while it holds the source's claim:
/// the claim the dispatcher made for it (its lease end is the token), or a free one (a retry from the
/// dashboard after the claim was released); a claim held by another run makes it a no-op, so a job run
/// twice never pulls a source twice at once. A pull that fails is recorded and backed off on the source
/// as before, and the job fails too, so the dashboard shows it; it is not retried automatically (the
/// source's backoff schedules the next pull), and "Requeue" in the dashboard pulls again at once.
/// </summary>
[AutomaticRetry(Attempts = 0)]
internal sealed partial class PullSyncJob(PullRunner runner, ILogger<PullSyncJob> logger)
{
    [JobDisplayName("Pull sync of {1}")]
    public async Task RunAsync(Guid providerId, string slug, DateTimeOffset claimedUntil, CancellationToken cancellationToken)
    {
        if (!await runner.TryTakeClaimAsync(providerId, claimedUntil, cancellationToken))
        {
            LogClaimedElsewhere(logger, slug);
            return;
        }

        var result = await runner.RunClaimedAsync(providerId, cancellationToken);
        if (result?.Outcome == PullOutcome.Failed)
        {
            throw new PullFailedException($"The pull of provider \"{slug}\" failed: {result.Error}");
        }
    }

    [LoggerMessage(LogLevel.Information, "The pull of {Slug} is claimed by another run; nothing to do")]
    private static partial void LogClaimedElsewhere(ILogger logger, string slug);
}

/// <summary>A pull that was recorded as failed (its error and backoff are on the source), surfaced to the dashboard.</summary>
internal sealed class PullFailedException(string message) : Exception(message);
