using FluxSuite.Listings.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FluxSuite.Listings.Data.Configurations;

internal sealed class ProviderConfiguration : IEntityTypeConfiguration<Provider>
{
    /// <summary>The price of one tier inside the <c>tiers</c> document; PostgreSQL keeps it as a stored generated column.</summary>
    public static string TierPriceSql(string tier) =>
        $"CAST(jsonb_path_query_first(tiers, '$[*] ? (@.tier == \"{tier}\").price') AS numeric)";

    public void Configure(EntityTypeBuilder<Provider> builder)
    {
        builder.ToTable("providers");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Slug).HasMaxLength(64);
        builder.HasIndex(p => p.Slug).IsUnique();
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.Property(p => p.Description).HasMaxLength(200);
        builder.Property(p => p.LongDescription).HasMaxLength(10_000);
        builder.Property(p => p.Website).HasMaxLength(2048);
        builder.Property(p => p.Discord).HasMaxLength(2048);
        builder.Property(p => p.Country).HasMaxLength(100);
        builder.Property(p => p.Type).HasMaxLength(16);
        builder.Property(p => p.Tiers).HasJsonColumn();
        builder.Property(p => p.PriceCumulus).HasComputedColumnSql(TierPriceSql("cumulus"), stored: true);
        builder.Property(p => p.PriceNimbus).HasComputedColumnSql(TierPriceSql("nimbus"), stored: true);
        builder.Property(p => p.PriceStratus).HasComputedColumnSql(TierPriceSql("stratus"), stored: true);
        builder.Property(p => p.Comments).HasMaxLength(1_000);
        builder.Property(p => p.Rating).HasPrecision(3, 2);
        builder.Property(p => p.PushedFields).HasJsonColumn();
    }
}
