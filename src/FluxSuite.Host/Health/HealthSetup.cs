using System.Text.Json;
using FluxSuite.Host.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Hangfire;
using Microsoft.Extensions.Options;

namespace FluxSuite.Host;

internal static class HealthSetup
{
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddFluxHealth(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<ShutdownOptions>(builder.Configuration.GetSection(ShutdownOptions.Section));
        builder.Services.AddSingleton<ShutdownDrain>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ShutdownDrain>());
        builder.Services.AddHealthChecks()
            .AddCheck<ShutdownDrain>("shutdown", tags: [ReadyTag])
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [ReadyTag])
            .AddCheck<SchedulerHealthCheck>("scheduler", tags: [ReadyTag]);
        return builder;
    }

    public static WebApplication MapFluxHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .ExcludeFromDescription();
        return app;
    }

    /// <summary><c>{"status":"Unhealthy","checks":{"database":{"status":"Healthy",…},…}}</c>: which check failed and why.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new
                {
                    status = e.Value.Status.ToString(),
                    description = e.Value.Description ?? e.Value.Exception?.Message,
                    durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}

internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answers.");
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL is not reachable: {ex.Message}");
        }
    }
}

/// <summary>
/// Healthy once this process has applied every module's migrations. Migrations only change with a
/// deployment, so the start-up result stands; the database check covers reachability.
/// </summary>
internal sealed class MigrationsHealthCheck(DatabaseStartupState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state switch
        {
            { Ready: true } => HealthCheckResult.Healthy("All module migrations are applied."),
            { Failure: { } failure } => HealthCheckResult.Unhealthy($"Migrations failed: {failure}"),
            _ => HealthCheckResult.Unhealthy("Migrations have not been applied yet."),
        });
}

/// <summary>
/// Healthy while this instance's Hangfire server is registered in the storage with a recent heartbeat:
/// the server runs, and the storage answers (the check itself reads it).
/// </summary>
internal sealed class SchedulerHealthCheck(JobStorage storage, HangfireServerHost server, SchedulerInstance instance, IOptions<SchedulerOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!server.IsRunning)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The Hangfire server of this instance ({instance.ServerName}) is not running."));
        }

        try
        {
            var prefix = instance.ServerName + ":";
            var registered = storage.GetMonitoringApi().Servers().FirstOrDefault(s => s.Name.StartsWith(prefix, StringComparison.Ordinal));
            if (registered is null)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"The Hangfire server of this instance ({instance.ServerName}) is not registered in the storage yet."));
            }

            // Hangfire stamps heartbeats with the system clock, not the modules' TimeProvider (which tests move).
            var silence = TimeProvider.System.GetUtcNow().UtcDateTime - (registered.Heartbeat ?? registered.StartedAt);
            var limit = options.Value.HeartbeatInterval * 3;
            return Task.FromResult(silence <= limit
                ? HealthCheckResult.Healthy($"The Hangfire server {registered.Name} is running with {registered.WorkersCount} workers on {string.Join(", ", registered.Queues)}.")
                : HealthCheckResult.Unhealthy($"The Hangfire server {registered.Name} has sent no heartbeat for {silence.TotalSeconds:0} s."));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The Hangfire storage is not reachable: {ex.Message}"));
        }
    }
}
