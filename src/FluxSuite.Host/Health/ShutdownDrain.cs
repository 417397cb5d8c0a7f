using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FluxSuite.Host;

internal sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>
    /// How long, once asked to stop (SIGTERM), the instance keeps serving while readiness already says
    /// 503, so that a load balancer stops sending it new requests before it stops taking them.
    /// </summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The first step of a graceful stop: readiness turns 503 at once, then, after
/// <see cref="ShutdownOptions.DrainDelay"/>, the host goes on stopping in order — the server stops
/// taking requests and finishes those in flight, the metering SDK queue writes what it holds, the
/// Hangfire server lets running jobs finish (then cancels them; they are safe to run again).
/// </summary>
internal sealed partial class ShutdownDrain(IOptions<ShutdownOptions> options, ILogger<ShutdownDrain> logger) : IHostedLifecycleService, IHealthCheck
{
    private volatile bool _stopping;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var delay = options.Value.DrainDelay;
        LogDraining(logger, delay.TotalSeconds);
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown timeout ran out first: stop now.
            }
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_stopping
            ? HealthCheckResult.Unhealthy("The instance is shutting down; it finishes the requests and jobs it has and takes no new ones.")
            : HealthCheckResult.Healthy("The instance takes requests."));

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Stopping: readiness is 503 now; requests are still served for {Seconds} s, then in-flight work is finished")]
    private static partial void LogDraining(ILogger logger, double seconds);
}
