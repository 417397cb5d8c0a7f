using FluxSuite.BuildingBlocks.Scheduling;
using FluxSuite.Host.Persistence;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Npgsql;

namespace FluxSuite.Host;

internal sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>
    /// This instance's name in the dashboard's server list (Hangfire adds a unique suffix). Empty: the
    /// machine's name and the process id.
    /// </summary>
    public string? ServerName { get; set; }

    /// <summary>Jobs this instance runs at once.</summary>
    public int WorkerCount { get; set; } = 5;

    /// <summary>How long an idle worker waits before it asks the queue again.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often due recurring and delayed jobs are looked for (the resolution of the schedules).</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a job fetched by an instance stays invisible to the others. The timeout slides: a live
    /// instance keeps renewing it, so only a job whose instance died is taken over, this long after its
    /// last renewal.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often this instance records in the storage that it is alive.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long without a heartbeat before an instance is removed from the server list.</summary>
    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long shutdown waits for running jobs before it cancels them.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Age after which a lock row of Hangfire's storage counts as left by an instance that died holding
    /// it (killed, or its machine lost) and is removed by the next instance that wants the lock. Hangfire
    /// holds its locks for moments (a recurring job's evaluation, an expiration batch) and our jobs take
    /// none, so this is far above any live holder; the storage's own default, 10 minutes, kept a restarted
    /// instance from starting for that long when its predecessor was killed in such a moment.
    /// </summary>
    public TimeSpan DistributedLockTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Hangfire with its PostgreSQL storage in the <c>hangfire</c> schema of the shared database, and a
/// Hangfire server in every host instance. The storage (a per-host <see cref="JobStorage"/> on a data
/// source of its own, never Hangfire's process-wide <c>JobStorage.Current</c>) and the job activator
/// are registered here, so two hosts in one process each work on their own database. Modules declare
/// their recurring jobs with <see cref="RecurringJobs.AddRecurringJob{TJob}"/>; at start-up, after the
/// migrations, <see cref="RecurringJobRegistrar"/> writes them to the storage.
/// </summary>
internal static class SchedulerSetup
{
    public const string Schema = "hangfire";

    /// <summary>The queue of jobs that name none; every server also listens to the modules' queues.</summary>
    public const string DefaultQueue = "default";

    public const string DashboardPath = "/hangfire";

    public static WebApplicationBuilder AddFluxScheduler(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SchedulerOptions>().Bind(builder.Configuration.GetSection(SchedulerOptions.Section))
            .Validate(o => o.WorkerCount is > 0 and <= 100, "Scheduler:WorkerCount must be between 1 and 100.")
            .Validate(o => o.QueuePollInterval > TimeSpan.Zero && o.SchedulePollingInterval > TimeSpan.Zero && o.InvisibilityTimeout > TimeSpan.Zero
                           && o.HeartbeatInterval > TimeSpan.Zero && o.ServerTimeout > o.HeartbeatInterval && o.ShutdownTimeout >= TimeSpan.Zero
                           && o.DistributedLockTimeout > TimeSpan.Zero,
                "Scheduler: the intervals and timeouts must be positive, and ServerTimeout longer than HeartbeatInterval.")
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>() ?? new SchedulerOptions();

        services.AddSingleton<SchedulerInstance>();
        services.AddSingleton(sp => new HangfireConnectionFactory(DatabaseSetup.ConnectionString(sp.GetRequiredService<IConfiguration>())));
        services.AddSingleton<JobStorage>(sp => new PostgreSqlStorage(sp.GetRequiredService<HangfireConnectionFactory>(), new PostgreSqlStorageOptions
        {
            SchemaName = Schema,
            // The schema is installed by DatabaseInitializer under the start-up advisory lock.
            PrepareSchemaIfNecessary = false,
            QueuePollInterval = options.QueuePollInterval,
            InvisibilityTimeout = options.InvisibilityTimeout,
            UseSlidingInvisibilityTimeout = true,
            DistributedLockTimeout = options.DistributedLockTimeout,
        }));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHostedService<HangfireLogRouting>();
        services.AddHangfire(configuration => configuration
            .UseLogProvider(HangfireLogRouting.Provider)
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());

        // Runs after DatabaseInitializer (registered earlier), so the schema exists before jobs are written.
        services.AddHostedService<RecurringJobRegistrar>();
        services.AddSingleton<HangfireServerHost>();
        services.AddHostedService(sp => sp.GetRequiredService<HangfireServerHost>());

        services.AddAntiforgery();
        services.AddSingleton<OperatorDashboardAuthorization>();
        return builder;
    }

    public static WebApplication MapFluxScheduler(this WebApplication app)
    {
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            DashboardTitle = "FluxSuite jobs",
            AppPath = "/swagger",
            DisplayStorageConnectionString = false,
            AsyncAuthorization = [app.Services.GetRequiredService<OperatorDashboardAuthorization>()],
        });
        return app;
    }
}

/// <summary>This host's identity in the scheduler's storage.</summary>
internal sealed class SchedulerInstance(Microsoft.Extensions.Options.IOptions<SchedulerOptions> options, InstanceIdentity instance)
{
    /// <summary>
    /// Unique per host, also when several hosts share a process (the tests); Hangfire lower-cases it and
    /// appends <c>:{guid}</c> to make the server id. Starts with <c>Scheduler:ServerName</c>, else the
    /// configured instance name (<c>Instance:Name</c>), else the machine's name.
    /// </summary>
    public string ServerName { get; } =
        $"{Base(options.Value, instance)}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}".ToLowerInvariant();

    private static string Base(SchedulerOptions options, InstanceIdentity instance) =>
        !string.IsNullOrWhiteSpace(options.ServerName) ? options.ServerName
        : instance.Configured ? instance.Name
        : Environment.MachineName;
}

/// <summary>
/// Hangfire's connections come from a data source of their own, so nothing Hangfire or Dapper does to a
/// connection can touch the pool and type mapping of the modules' data source.
/// </summary>
internal sealed class HangfireConnectionFactory(string connectionString) : IConnectionFactory, IDisposable
{
    private readonly NpgsqlDataSource _dataSource = new NpgsqlDataSourceBuilder(
        new NpgsqlConnectionStringBuilder(connectionString) { Enlist = false, ApplicationName = "FluxSuite scheduler" }.ConnectionString).Build();

    public NpgsqlConnection GetOrCreateConnection() => _dataSource.CreateConnection();

    public void Dispose() => _dataSource.Dispose();
}
