using FluxSuite.Listings.Data;
using FluxSuite.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace FluxSuite.Listings.Tests;

public sealed class MigrationsTests
{
    [Fact]
    public async Task Given_the_migrations_Then_they_build_exactly_the_model()
    {
        var differences = await MigrationDrift.FindAsync<ListingsDbContext>(o => new ListingsDbContext(o), ListingsDbContext.Schema);

        Assert.Empty(differences);
    }

    [Fact]
    public void Given_the_model_Then_the_snapshot_has_it_and_no_migration_is_missing()
    {
        using var db = new ListingsDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration: run the README's dotnet ef migrations add command for Listings.");
    }

    [Fact]
    public async Task Given_the_directory_version_moved_at_commit_Then_a_transaction_moves_it_when_it_commits_and_the_migration_goes_back()
    {
        await using var database = await MigrationDatabase<ListingsDbContext>.CreateAsync(o => new ListingsDbContext(o), ListingsDbContext.Schema);
        await database.MigrateAsync();
        await using var connection = await database.Source.OpenConnectionAsync();
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO listings.providers (id, slug, name, tiers, languages, support_channels, flux_labs_partner, verified, is_demo,
                review_count, pushed_fields, created_at, updated_at)
            VALUES ('00000000-0000-0000-0000-00000000000a', 'acme', 'Acme', '[]', '{}', '{}', false, false, false, 0, '{}', now(), now())
            """, connection))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var before = await VersionAsync(connection, null);
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var update = new NpgsqlCommand("UPDATE listings.providers SET total_nodes = 5 WHERE slug = 'acme'", connection, transaction);
            await update.ExecuteNonQueryAsync();
            // Written, not yet committed: the counter is not taken yet.
            Assert.Equal(before, await VersionAsync(connection, transaction));
            await transaction.CommitAsync();
        }

        Assert.True(await VersionAsync(connection, null) > before);
        Assert.Equal(("providers_move_directory_version", true, true), await TriggerAsync(connection));
        await database.MigrateAsync("20261212000000_MoveDirectoryVersionPerWrittenRow");
        Assert.Equal(("providers_move_directory_version", false, false), await TriggerAsync(connection));
    }

    private static async Task<long> VersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        await using var command = new NpgsqlCommand("SELECT COALESCE(sum(version), 0)::bigint FROM listings.directory_versions", connection, transaction);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(string Name, bool Deferrable, bool InitiallyDeferred)> TriggerAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("""
            SELECT tgname, tgdeferrable, tginitdeferred FROM pg_trigger
            WHERE tgrelid = 'listings.providers'::regclass AND tgfoid = 'listings.move_directory_version'::regproc AND NOT tgisinternal
              AND tgtype & 32 = 0
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var trigger = (reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2));
        Assert.False(await reader.ReadAsync());
        return trigger;
    }

    [Fact]
    public void Given_the_last_migration_Then_its_target_model_is_the_model()
    {
        using var db = new ListingsDesignTimeFactory().CreateDbContext([]);

        Assert.Empty(MigrationDrift.FromLastTargetModel(db));
    }
}
