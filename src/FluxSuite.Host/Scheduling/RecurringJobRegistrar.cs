using FluxSuite.BuildingBlocks.Scheduling;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage;
using Microsoft.Extensions.Options;

namespace FluxSuite.Host;

/// <summary>
/// Writes every module's recurring jobs to the scheduler's storage at start-up, with their cron
/// expressions in UTC, and removes recurring jobs that no module declares any more (a renamed or
/// retired job). The list in storage is the cluster's: the instance that started last wrote it.
/// A firing missed while every instance was down runs once when one is back (relaxed misfire
/// handling), not once per missed occurrence.
/// </summary>
/// <remarks>
/// Writing a recurring job takes its lock in the storage. An instance killed while it held one (its
/// scheduler evaluates each recurring job under that lock) leaves the lock row behind until it is older
/// than <see cref="SchedulerOptions.DistributedLockTimeout"/>; start-up waits for that instead of failing.
/// </remarks>
internal sealed partial class RecurringJobRegistrar(
    IEnumerable<RecurringJobDefinition> definitions,
    IRecurringJobManager manager,
    JobStorage storage,
    IOptions<SchedulerOptions> schedulerOptions,
    ILogger<RecurringJobRegistrar> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var declared = definitions.ToList();
        var duplicate = declared.GroupBy(d => d.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two recurring jobs are declared with the id \"{duplicate.Key}\".");
        }

        foreach (var definition in declared)
        {
            // What the scheduler will load at each firing, loaded now: a job it cannot call (not public, an
            // explicit interface implementation) fails start-up instead of being disabled at its first firing.
            InvocationData.SerializeJob(definition.Job).DeserializeJob();
            try
            {
                var options = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc, MisfireHandling = MisfireHandlingMode.Relaxed };
#pragma warning disable CS0618 // The job carries its queue; the recurring job's own queue is what the dashboard shows for it.
                options.QueueName = definition.Queue;
#pragma warning restore CS0618
                await WriteAsync(definition, options, cancellationToken);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidOperationException(
                    $"{RecurringJobs.ConfigurationSection}:{definition.Id}: \"{definition.Cron}\" is not a valid cron expression " +
                    $"(five fields, or six with seconds first, or \"never\"): {ex.InnerException?.Message ?? ex.Message}", ex);
            }

            LogRegistered(logger, definition.Id, definition.Cron, definition.Queue);
        }

        using var connection = storage.GetConnection();
        var ids = declared.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in connection.GetRecurringJobs().Where(j => !ids.Contains(j.Id)))
        {
            manager.RemoveIfExists(stale.Id);
            LogRemoved(logger, stale.Id);
        }

    }

    /// <summary>
    /// Writes one recurring job. While its lock is held (Hangfire waits for it a while, then throws), tries
    /// again until a lock left by a dead instance has expired: the lock timeout and a margin for the wait.
    /// </summary>
    private async Task WriteAsync(RecurringJobDefinition definition, RecurringJobOptions options, CancellationToken cancellationToken)
    {
        // Real elapsed time, measured monotonically: the wait is for a lock row to age in the database.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var patience = schedulerOptions.Value.DistributedLockTimeout + TimeSpan.FromSeconds(30);
        var warned = false;
        while (true)
        {
            try
            {
                manager.AddOrUpdate(definition.Id, definition.Job, definition.Cron, options);
                return;
            }
            catch (PostgreSqlDistributedLockException ex) when (waited.Elapsed < patience)
            {
                if (!warned)
                {
                    LogLockHeld(logger, definition.Id, schedulerOptions.Value.DistributedLockTimeout, ex.Message);
                    warned = true;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Recurring job {JobId}: \"{Cron}\" (UTC) on queue {Queue}")]
    private static partial void LogRegistered(ILogger logger, string jobId, string cron, string queue);

    [LoggerMessage(LogLevel.Warning, "Recurring job {JobId}: its lock in the scheduler's storage is held, most likely left by an instance that stopped without releasing it; waiting for it (a lock older than {LockTimeout} is removed): {Reason}")]
    private static partial void LogLockHeld(ILogger logger, string jobId, TimeSpan lockTimeout, string reason);

    [LoggerMessage(LogLevel.Information, "Recurring job {JobId} is no longer declared; removed it")]
    private static partial void LogRemoved(ILogger logger, string jobId);
}
