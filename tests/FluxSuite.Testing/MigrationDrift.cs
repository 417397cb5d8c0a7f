using FluxSuite.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
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

    /// <summary>
    /// What the target model of <paramref name="db"/>'s last migration lacks or has beyond the context's model, as the
    /// migrations differ sees it. A migration whose designer builds on an earlier one's model instead of writing it out
    /// is checked by this: empty means the migration ends at the model.
    /// </summary>
    public static IReadOnlyList<string> FromLastTargetModel(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var migrations = db.GetService<IMigrationsAssembly>();
        var last = migrations.CreateMigration(migrations.Migrations.Last().Value, db.Database.ProviderName!);
        var target = db.GetService<IModelRuntimeInitializer>().Initialize(last.TargetModel!, designTime: true);
        var model = db.GetService<IDesignTimeModel>().Model;
        return [.. db.GetService<IMigrationsModelDiffer>()
            .GetDifferences(target.GetRelationalModel(), model.GetRelationalModel())
            .Select(o => $"{o.GetType().Name}: {string.Join(", ", o.GetAnnotations().Select(a => $"{a.Name}={a.Value}"))}")];
    }

    internal static TContext Build<TContext>(Func<DbContextOptions<TContext>, TContext> create, string connectionString, string schema, out NpgsqlDataSource source)
        where TContext : DbContext
    {
        source = NpgsqlDataSource.Create(connectionString);
        var options = new DbContextOptionsBuilder<TContext>();
        ModuleDatabaseRegistration.ConfigureModuleContext(options, source, schema);
        return create(options.Options);
    }
}
