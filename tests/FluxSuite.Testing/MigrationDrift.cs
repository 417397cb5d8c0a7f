using FluxSuite.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace FluxSuite.Testing;

/// <summary>
/// Builds one database from a context's migrations and another from its model, and lists every way
/// their schemas differ. An empty list means the migrations create exactly the model.
/// </summary>
public static class MigrationDrift
{
    public static async Task<IReadOnlyList<string>> FindAsync<TContext>(Func<DbContextOptions<TContext>, TContext> create, string schema)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(create);
        var fromMigrations = new TestDatabase();
        var fromModel = new TestDatabase();
        await fromMigrations.InitializeAsync();
        await fromModel.InitializeAsync();
        try
        {
            await using (var db = Build(create, fromMigrations.ConnectionString, schema, out var source))
            {
                await db.Database.MigrateAsync();
                await source.DisposeAsync();
            }

            await using (var db = Build(create, fromModel.ConnectionString, schema, out var source))
            {
                await db.Database.EnsureCreatedAsync();
                await source.DisposeAsync();
            }

            var migrated = await SchemaSnapshot.CaptureAsync(fromMigrations.ConnectionString, schema);
            var modelled = await SchemaSnapshot.CaptureAsync(fromModel.ConnectionString, schema);
            return migrated.DifferencesFrom(modelled, "migrations", "model");
        }
        finally
        {
            await fromMigrations.DisposeAsync();
            await fromModel.DisposeAsync();
        }
    }

    private static TContext Build<TContext>(Func<DbContextOptions<TContext>, TContext> create, string connectionString, string schema, out NpgsqlDataSource source)
        where TContext : DbContext
    {
        source = NpgsqlDataSource.Create(connectionString);
        var options = new DbContextOptionsBuilder<TContext>();
        ModuleDatabaseRegistration.ConfigureModuleContext(options, source, schema);
        return create(options.Options);
    }
}
