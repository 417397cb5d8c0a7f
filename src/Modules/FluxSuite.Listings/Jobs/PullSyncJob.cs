using FluxSuite.Listings.Pull;
using Quartz;

namespace FluxSuite.Listings.Jobs;

/// <summary>
/// The clustered pull sync: on each firing one instance runs the pulls that are due. The sources'
/// leases keep it idempotent if a firing is rerun or an instance dies mid-run.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class PullSyncJob(PullDispatcher dispatcher) : IJob
{
    public static readonly JobKey Key = new("listings-pull-sync", "listings");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await dispatcher.RunDueAsync(cancellationToken);
}
