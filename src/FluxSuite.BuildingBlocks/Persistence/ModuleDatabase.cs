using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FluxSuite.BuildingBlocks.Persistence;

/// <summary>
/// A module's database: its schema and its DbContext. The host migrates every registered module
/// database at start-up and reports on them in the readiness check.
/// </summary>
public interface IModuleDatabase
{
    string Schema { get; }

    Type ContextType { get; }

    /// <summary>Applies the module's pending migrations; returns the names of those applied.</summary>
    Task<IReadOnlyList<string>> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken);
}

internal sealed class ModuleDatabase<TContext>(string schema) : IModuleDatabase
    where TContext : DbContext
{
    public string Schema { get; } = schema;

    public Type ContextType => typeof(TContext);

    /// <summary>How long one statement of a migration may run (the backfill of a ledger with tens of millions of entries).</summary>
    public static TimeSpan MigrationCommandTimeout { get; } = TimeSpan.FromMinutes(15);

    public async Task<IReadOnlyList<string>> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();

        // Create the (empty) history table first: on a new database EF probes for it with a query that
        // fails and is logged as an error, which would alarm whoever reads the first start-up log.
        var history = db.GetService<IHistoryRepository>();
        await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
        var applied = (await history.GetAppliedMigrationsAsync(cancellationToken))
            .Select(m => m.MigrationId)
            .ToHashSet(StringComparer.Ordinal);
        var pending = db.Database.GetMigrations().Where(m => !applied.Contains(m)).ToList();
        if (pending.Count > 0)
        {
            // A migration that fills or indexes a large table runs for longer than a request's 30 s command timeout.
            var timeout = db.Database.GetCommandTimeout();
            db.Database.SetCommandTimeout(MigrationCommandTimeout);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                db.Database.SetCommandTimeout(timeout);
            }
        }

        return pending;
    }
}

public static class ModuleDatabaseRegistration
{
    /// <summary>The name of each module's migrations history table, kept inside the module's schema.</summary>
    public const string MigrationsHistoryTable = "__EFMigrationsHistory";

    /// <summary>
    /// Registers a module's DbContext, pooled, on the shared <see cref="NpgsqlDataSource"/>, with its migrations
    /// history in its own schema, and records it for start-up migration and readiness.
    /// </summary>
    public static IServiceCollection AddModuleDatabase<TContext>(this IServiceCollection services, string schema)
        where TContext : DbContext
    {
        // Pooled: a request gets a context that was made once and reset, instead of building one (its options,
        // its internal services) for every request; a module context holds nothing but what EF resets.
        services.AddDbContextPool<TContext>((sp, options) => ConfigureModuleContext(options, sp.GetRequiredService<NpgsqlDataSource>(), schema));
        services.AddSingleton<IModuleDatabase>(new ModuleDatabase<TContext>(schema));
        return services;
    }

    /// <summary>The options every module context uses; tests build contexts with the same settings.</summary>
    public static DbContextOptionsBuilder ConfigureModuleContext(DbContextOptionsBuilder options, NpgsqlDataSource dataSource, string schema)
    {
        ArgumentNullException.ThrowIfNull(options);
        // EF compares the model with the module's snapshot when migrating: a model change without its
        // migration (PendingModelChangesWarning) stops start-up and the tests.
        // A failed query or save is an exception that reaches its owner (the request's exception handler,
        // the job runner), which logs it once, as what it is (a database outage is one warning, not a stack
        // trace per request or job). EF's own Error line for the same failure would log it twice.
        return options.UseNpgsql(dataSource, npgsql => npgsql.MigrationsHistoryTable(MigrationsHistoryTable, schema))
            .ConfigureWarnings(warnings => warnings.Log(
                (CoreEventId.QueryIterationFailed, LogLevel.Debug),
                (CoreEventId.SaveChangesFailed, LogLevel.Debug)));
    }
}
