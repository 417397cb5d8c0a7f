using FluxSuite.Metering.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FluxSuite.Metering.Data;

/// <summary>
/// A feature of type <c>meter</c>: what usage is counted and how events are aggregated. Events and
/// usage charges refer to it by <see cref="MeterId"/>; the SDK names it by <see cref="MeterToken"/>.
/// </summary>
internal sealed class Feature : IArchivableRow
{
    public static string Noun => "feature";

    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public required string Name { get; set; }

    public required string LookupKey { get; set; }

    public required string Type { get; set; }

    public Guid MeterId { get; set; }

    public required string MeterName { get; set; }

    public string? PropertyName { get; set; }

    public required string AggregationType { get; set; }

    public string? Unit { get; set; }

    public required string MeterToken { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? ArchivedAt { get; set; }
}

internal sealed class FeatureConfiguration : IEntityTypeConfiguration<Feature>
{
    public void Configure(EntityTypeBuilder<Feature> builder)
    {
        builder.ToTable("features");
        builder.Property(f => f.Name).HasMaxLength(200);
        builder.Property(f => f.LookupKey).HasMaxLength(100);
        builder.Property(f => f.Type).HasMaxLength(20);
        builder.Property(f => f.MeterName).HasMaxLength(100);
        builder.Property(f => f.PropertyName).HasMaxLength(100);
        builder.Property(f => f.AggregationType).HasMaxLength(20);
        builder.Property(f => f.Unit).HasMaxLength(50);
        builder.Property(f => f.MeterToken).HasMaxLength(64);
        builder.HasIndex(f => new { f.OrganizationId, f.LookupKey }).IsUnique();
        builder.HasIndex(f => f.MeterToken).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(f => f.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
