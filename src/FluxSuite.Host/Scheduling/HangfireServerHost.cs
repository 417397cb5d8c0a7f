using FluxSuite.BuildingBlocks.Scheduling;
using Hangfire;
using Microsoft.Extensions.Options;

namespace FluxSuite.Host;

/// <summary>
/// This instance's Hangfire server: started after the database is initialized and the recurring jobs
/// are written, stopped (waiting up to <see cref="SchedulerOptions.ShutdownTimeout"/> for running jobs,
/// which are then cancelled and stay safe to run again) when the host stops. It listens to every
/// module's queue. Readiness asks it whether it runs.
/// </summary>
internal sealed class HangfireServerHost(
    JobStorage storage,
    JobActivator activator,
    SchedulerInstance instance,
    IEnumerable<RecurringJobDefinition> definitions,
    IOptions<SchedulerOptions> options) : IHostedService, IDisposable
{
    private BackgroundJobServer? _server;

    public bool IsRunning => Volatile.Read(ref _server) is not null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        Volatile.Write(ref _server, new BackgroundJobServer(new BackgroundJobServerOptions
        {
            ServerName = instance.ServerName,
            WorkerCount = settings.WorkerCount,
            // A module's background jobs (such as the per-provider pull syncs) use the queue of its recurring jobs.
            Queues = [.. definitions.Select(d => d.Queue).Append(SchedulerSetup.DefaultQueue).Distinct(StringComparer.Ordinal)],
            SchedulePollingInterval = settings.SchedulePollingInterval,
            HeartbeatInterval = settings.HeartbeatInterval,
            ServerCheckInterval = settings.HeartbeatInterval,
            ServerTimeout = settings.ServerTimeout,
            ShutdownTimeout = settings.ShutdownTimeout,
            StopTimeout = settings.ShutdownTimeout,
            Activator = activator,
        }, storage));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var server = Interlocked.Exchange(ref _server, null);
        if (server is null)
        {
            return;
        }

        server.SendStop();
        await server.WaitForShutdownAsync(cancellationToken);
        server.Dispose();
    }

    public void Dispose() => Interlocked.Exchange(ref _server, null)?.Dispose();
}
