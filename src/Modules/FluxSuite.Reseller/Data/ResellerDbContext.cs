using FluxSuite.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Data;

internal sealed class ResellerDbContext(DbContextOptions<ResellerDbContext> options) : DbContext(options)
{
    public const string Schema = "reseller";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ResellerDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UseSnakeCaseNames();
}
