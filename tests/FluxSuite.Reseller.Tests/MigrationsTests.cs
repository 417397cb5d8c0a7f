using FluxSuite.Reseller.Data;
using FluxSuite.Testing;

namespace FluxSuite.Reseller.Tests;

public sealed class MigrationsTests
{
    [Fact]
    public async Task Given_the_hand_written_migrations_Then_they_build_exactly_the_model()
    {
        var differences = await MigrationDrift.FindAsync<ResellerDbContext>(o => new ResellerDbContext(o), ResellerDbContext.Schema);

        Assert.Empty(differences);
    }
}
