using FluxSuite.Host.Persistence;
using Quartz;

namespace FluxSuite.Host;

internal sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>How often each instance records in the database that it is alive.</summary>
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long past a missed check-in the others wait before taking over an instance's work.</summary>
    public TimeSpan CheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long an instance with nothing due waits before asking the database again.</summary>
    public TimeSpan IdleWaitTime { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// One clustered Quartz scheduler per host, persisted in the <c>scheduler</c> schema of the shared
/// database. Every instance polls the same triggers; the store's row locks hand each firing to exactly
/// one of them, and an instance that stops checking in has its work recovered by the others.
/// Modules add their jobs with their own <c>services.AddQuartz(q => …)</c> calls. The scheduler reads
/// the container's <see cref="TimeProvider"/>, the same clock as the modules, so a test that moves the
/// clock also makes the jobs due.
/// </summary>
internal static class SchedulerSetup
{
    public const string Schema = "scheduler";
    public const string InstanceName = "FluxSuite";

    public static WebApplicationBuilder AddFluxScheduler(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.Configure<SchedulerOptions>(configuration.GetSection(SchedulerOptions.Section));
        builder.Services.AddQuartz(quartz =>
        {
            var options = configuration.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>() ?? new SchedulerOptions();
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = InstanceName;
                scheduler.IdleWaitTime = options.IdleWaitTime;
            });
            quartz.UsePersistentStore(store =>
            {
                store.UsePostgres(source => source.ConnectionString = DatabaseSetup.ConnectionString(configuration));
                store.ConfigureStore(job => job.TablePrefix = $"{Schema}.qrtz_");
                store.UseClustering(cluster =>
                {
                    cluster.CheckinInterval = options.CheckinInterval;
                    cluster.CheckinMisfireThreshold = options.CheckinMisfireThreshold;
                });
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
        });
        builder.Services.AddQuartzHostedService(hosted => hosted.WaitForJobsToComplete = true);
        return builder;
    }
}
