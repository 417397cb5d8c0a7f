using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace FluxSuite.Testing;

/// <summary>
/// A test database of its own with a module's context on it, for a migration's test: migrate to the migration before it,
/// write rows as they were then, migrate on (and back), and look at what the rows became.
/// </summary>
public sealed class MigrationDatabase<TContext> : IAsyncDisposable
    where TContext : DbContext
{
    private readonly TestDatabase _database;

    private MigrationDatabase(TestDatabase database, NpgsqlDataSource source, TContext context)
    {
        _database = database;
        Source = source;
        Context = context;
    }

    /// <summary>The database's data source, for statements of the test's own.</summary>
    public NpgsqlDataSource Source { get; }

    /// <summary>The module's context on the database.</summary>
    public TContext Context { get; }

    /// <summary>A new database, nothing migrated yet; <paramref name="create"/> makes the module's context from its options.</summary>
    public static async Task<MigrationDatabase<TContext>> CreateAsync(Func<DbContextOptions<TContext>, TContext> create, string schema)
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        var context = MigrationDrift.Build(create, database.ConnectionString, schema, out var source);
        return new MigrationDatabase<TContext>(database, source, context);
    }

    /// <summary>Migrates up or down to <paramref name="migration"/> (its id), or to the last migration.</summary>
    public Task MigrateAsync(string? migration = null) => Context.GetService<IMigrator>().MigrateAsync(migration);

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await Source.DisposeAsync();
        await _database.DisposeAsync();
    }
}
