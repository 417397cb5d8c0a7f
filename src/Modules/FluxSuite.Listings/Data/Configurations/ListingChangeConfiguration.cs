using FluxSuite.Listings.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FluxSuite.Listings.Data.Configurations;

internal sealed class ListingChangeConfiguration : IEntityTypeConfiguration<ListingChange>
{
    public void Configure(EntityTypeBuilder<ListingChange> builder)
    {
        builder.ToTable("listing_changes", t => t.HasCheckConstraint("ck_listing_changes_source", "source IN ('push', 'pull', 'admin')"));
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).UseIdentityAlwaysColumn();
        builder.Property(c => c.Field).HasMaxLength(40);
        builder.Property(c => c.OldValue).HasColumnType("jsonb");
        builder.Property(c => c.NewValue).HasColumnType("jsonb");
        builder.Property(c => c.Source).HasMaxLength(8);
        builder.HasIndex(c => new { c.ProviderId, c.ChangedAt, c.Id });
        builder.HasOne<Provider>().WithMany().HasForeignKey(c => c.ProviderId).OnDelete(DeleteBehavior.Restrict);
    }
}
