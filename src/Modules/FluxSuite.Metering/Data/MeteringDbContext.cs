using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.BuildingBlocks.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Data;

internal sealed class MeteringDbContext(DbContextOptions<MeteringDbContext> options) : ModuleDbContext(options)
{
    public const string Schema = "metering";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MeteringDbContext).Assembly);
        modelBuilder.AddWebhookTables();
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UseSnakeCaseNames();
}
