using FluxSuite.Metering.Data;
using FluxSuite.Testing;

namespace FluxSuite.Metering.Tests;

public sealed class MigrationsTests
{
    [Fact]
    public async Task Given_the_hand_written_migrations_Then_they_build_exactly_the_model()
    {
        var differences = await MigrationDrift.FindAsync<MeteringDbContext>(o => new MeteringDbContext(o), MeteringDbContext.Schema);

        Assert.Empty(differences);
    }
}
