using FluxSuite.Listings.Providers;
using FluxSuite.Listings.Pull;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FluxSuite.Listings.Data.Configurations;

internal sealed class PullSourceConfiguration : IEntityTypeConfiguration<PullSource>
{
    public void Configure(EntityTypeBuilder<PullSource> builder)
    {
        builder.ToTable("pull_sources");
        builder.HasKey(s => s.ProviderId);
        builder.Property(s => s.Url).HasMaxLength(2048);
        builder.Property(s => s.Mapping).HasJsonColumn();
        builder.Property(s => s.ETag).HasColumnName("etag").HasMaxLength(512);
        builder.Property(s => s.LastModified).HasMaxLength(64);
        builder.Property(s => s.LastOutcome).HasMaxLength(16);
        builder.Property(s => s.LastError).HasMaxLength(2000);
        builder.Property(s => s.IgnoredFields).HasJsonColumn();
        builder.HasIndex(s => s.NextRunAt);
        builder.HasOne<Provider>().WithOne().HasForeignKey<PullSource>(s => s.ProviderId).OnDelete(DeleteBehavior.Cascade);
    }
}
