using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Listings.Keys;
using FluxSuite.Listings.Providers;
using FluxSuite.Listings.Pull;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Listings.Data;

internal sealed class ListingsDbContext(DbContextOptions<ListingsDbContext> options) : ModuleDbContext(options)
{
    public const string Schema = "listings";

    public DbSet<Provider> Providers => Set<Provider>();

    public DbSet<ProviderKey> ProviderKeys => Set<ProviderKey>();

    public DbSet<ListingChange> ListingChanges => Set<ListingChange>();

    public DbSet<PullSource> PullSources => Set<PullSource>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ListingsDbContext).Assembly);
        TierPrices.Map(modelBuilder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UseSnakeCaseNames();
}
