using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FluxSuite.BuildingBlocks.Scheduling;

/// <summary>
/// One run of a piece of scheduled work. The scheduler creates the job in a DI scope of its own and
/// passes a token that is cancelled when the instance shuts down. A run must be safe to repeat: the
/// guarantee that work happens once lives in the database (row locks, claims, unique indexes), never in
/// the scheduler, because a job on an instance that died is run again elsewhere.
/// </summary>
public interface IRecurringJob
{
    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>A recurring job as a module declares it; the host writes it to the scheduler's storage at start-up.</summary>
/// <param name="Id">Stable id: the job's name in the dashboard and its configuration key.</param>
/// <param name="Cron">Cron expression (five fields, or six with seconds first), in UTC; <see cref="RecurringJobs.Never"/> for one that only runs when triggered.</param>
/// <param name="Queue">The queue its runs go to.</param>
/// <param name="Job">What a run calls.</param>
public sealed record RecurringJobDefinition(string Id, string Cron, string Queue, Job Job);

/// <summary>
/// The one way a module schedules work: <c>builder.AddRecurringJob&lt;TJob&gt;(id, defaultCron, queue)</c>.
/// The cron expression comes from configuration, <c>Scheduler:Jobs:{id}</c>, and falls back to the
/// module's default; the value <c>never</c> keeps the job registered (visible, and runnable with
/// "Trigger now") without firing it by itself.
/// </summary>
public static class RecurringJobs
{
    public const string ConfigurationSection = "Scheduler:Jobs";

    /// <summary>A date that never comes (February 31st): the job runs only when triggered.</summary>
    public const string Never = "0 0 31 2 *";

    public static IHostApplicationBuilder AddRecurringJob<TJob>(this IHostApplicationBuilder builder, string id, string defaultCron, string queue)
        where TJob : class, IRecurringJob
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        var configured = builder.Configuration[$"{ConfigurationSection}:{id}"];
        var cron = string.IsNullOrWhiteSpace(configured) ? defaultCron
            : string.Equals(configured.Trim(), "never", StringComparison.OrdinalIgnoreCase) ? Never
            : configured.Trim();
        builder.Services.AddSingleton(new RecurringJobDefinition(id, cron, queue, Job.FromExpression<TJob>(job => job.RunAsync(CancellationToken.None), queue)));
        return builder;
    }
}
