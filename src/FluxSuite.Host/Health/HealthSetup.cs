using System.Text.Json;
using FluxSuite.Host.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Quartz;

namespace FluxSuite.Host;

internal static class HealthSetup
{
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddFluxHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
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

internal sealed class SchedulerHealthCheck(ISchedulerFactory schedulers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var status = scheduler.Status;
        return status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy($"The scheduler is running as instance {scheduler.SchedulerInstanceId}.")
            : HealthCheckResult.Unhealthy($"The scheduler is not running (status {status}).");
    }
}
