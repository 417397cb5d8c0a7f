using FluxSuite.BuildingBlocks.Scheduling;
using Hangfire;
using Hangfire.Storage;

namespace FluxSuite.Host;

/// <summary>
/// Writes every module's recurring jobs to the scheduler's storage at start-up, with their cron
/// expressions in UTC, and removes recurring jobs that no module declares any more (a renamed or
/// retired job). The list in storage is the cluster's: the instance that started last wrote it.
/// A firing missed while every instance was down runs once when one is back (relaxed misfire
/// handling), not once per missed occurrence.
/// </summary>
internal sealed partial class RecurringJobRegistrar(
    IEnumerable<RecurringJobDefinition> definitions,
    IRecurringJobManager manager,
    JobStorage storage,
    ILogger<RecurringJobRegistrar> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
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
                manager.AddOrUpdate(definition.Id, definition.Job, definition.Cron, options);
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

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Recurring job {JobId}: \"{Cron}\" (UTC) on queue {Queue}")]
    private static partial void LogRegistered(ILogger logger, string jobId, string cron, string queue);

    [LoggerMessage(LogLevel.Information, "Recurring job {JobId} is no longer declared; removed it")]
    private static partial void LogRemoved(ILogger logger, string jobId);
}
