using FluxSuite.Listings.Data;
using FluxSuite.Testing;
using Microsoft.EntityFrameworkCore;

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
    public void Given_the_last_migration_Then_its_target_model_is_the_model()
    {
        using var db = new ListingsDesignTimeFactory().CreateDbContext([]);

        Assert.Empty(MigrationDrift.FromLastTargetModel(db));
    }
}
