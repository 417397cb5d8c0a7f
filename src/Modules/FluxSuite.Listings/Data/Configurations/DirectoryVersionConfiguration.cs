using FluxSuite.Listings.Directory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FluxSuite.Listings.Data.Configurations;

internal sealed class DirectoryVersionConfiguration : IEntityTypeConfiguration<DirectoryVersion>
{
    public void Configure(EntityTypeBuilder<DirectoryVersion> builder)
    {
        builder.ToTable("directory_versions");
        builder.HasKey(v => v.Shard);
        builder.Property(v => v.Shard).ValueGeneratedNever();
    }
}
