using FluxSuite.Listings.Data;
using FluxSuite.Testing;

namespace FluxSuite.Listings.Tests;

public sealed class MigrationsTests
{
    [Fact]
    public async Task Given_the_hand_written_migrations_Then_they_build_exactly_the_model()
    {
        var differences = await MigrationDrift.FindAsync<ListingsDbContext>(o => new ListingsDbContext(o), ListingsDbContext.Schema);

        Assert.Empty(differences);
    }
}
