using FluxSuite.BuildingBlocks.Persistence;
using Hangfire.PostgreSql;
using Npgsql;

namespace FluxSuite.Host.Persistence;

/// <summary>What start-up did to the database, for the readiness check.</summary>
internal sealed class DatabaseStartupState
{
    private volatile string? _failure;
    private volatile bool _ready;

    public bool Ready => _ready;

    public string? Failure => _failure;

    public void MarkReady() => _ready = true;

    public void MarkFailed(string failure) => _failure = failure;
}

/// <summary>
/// Brings the database up to date before anything else starts: every module's migrations and the
/// schema of Hangfire's storage. Instances starting together take turns through a PostgreSQL advisory lock,
/// so two hosts never race on DDL. The lock is held by a session, so its connection is a direct one
/// (<see cref="DirectDatabase"/>), never one lent by a transaction-mode pooler. The modules' migrations
/// run on their own contexts meanwhile; EF's own migration lock on PostgreSQL is a <c>LOCK TABLE</c>
/// inside the migration's transaction, which a transaction-mode pooler keeps on one server connection.
/// </summary>
internal sealed partial class DatabaseInitializer(
    DirectDatabase direct,
    IEnumerable<IModuleDatabase> modules,
    IServiceProvider services,
    DatabaseStartupState state,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    /// <summary>An arbitrary, fixed advisory-lock key shared by every FluxSuite instance.</summary>
    private const long StartupLockKey = 0x466C75785375; // "FluxSu"

    private static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromSeconds(2);
    private const int ConnectAttempts = 15;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenWithRetryAsync(cancellationToken);
            await ExecuteAsync(connection, $"SELECT pg_advisory_lock({StartupLockKey})", cancellationToken);
            try
            {
                // Schema "scheduler" held the tables of the scheduler Hangfire replaced; nothing reads them any more.
                await ExecuteAsync(connection, "DROP SCHEMA IF EXISTS scheduler CASCADE", cancellationToken);
                foreach (var module in modules)
                {
                    // EF creates the history table inside the schema before the first migration
                    // could create the schema itself.
                    await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS {module.Schema}", cancellationToken);
                    var applied = await module.MigrateAsync(services, cancellationToken);
                    if (applied.Count == 0)
                    {
                        LogUpToDate(logger, module.Schema);
                    }
                    else
                    {
                        LogMigrated(logger, module.Schema, applied.Count, string.Join(", ", applied));
                    }
                }

                await ExecuteAsync(connection, Security.DataProtectionSetup.CreateTableSql, cancellationToken);

                // Hangfire's own installer creates or upgrades its schema; under the lock, so instances starting
                // together never run it at the same time.
                PostgreSqlObjectsInstaller.Install(connection, SchedulerSetup.Schema);
                LogSchedulerSchema(logger, SchedulerSetup.Schema);
            }
            finally
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({StartupLockKey})", CancellationToken.None);
            }

            state.MarkReady();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            state.MarkFailed(ex.Message);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<NpgsqlConnection> OpenWithRetryAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await direct.DataSource.OpenConnectionAsync(cancellationToken);
            }
            catch (NpgsqlException ex) when (attempt < ConnectAttempts && ex.IsTransient)
            {
                LogWaiting(logger, attempt, ex.Message);
                await Task.Delay(ConnectRetryDelay, cancellationToken);
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Information, "Schema {Schema}: applied {Count} migration(s) {Migrations}")]
    private static partial void LogMigrated(ILogger logger, string schema, int count, string migrations);

    [LoggerMessage(LogLevel.Information, "Schema {Schema} (Hangfire storage) is installed and up to date")]
    private static partial void LogSchedulerSchema(ILogger logger, string schema);

    [LoggerMessage(LogLevel.Information, "Schema {Schema} is up to date")]
    private static partial void LogUpToDate(ILogger logger, string schema);

    [LoggerMessage(LogLevel.Warning, "Database not reachable yet (attempt {Attempt}): {Reason}")]
    private static partial void LogWaiting(ILogger logger, int attempt, string reason);
}
