using System.Text.Json;
using FluxSuite.Metering.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FluxSuite.Metering.Data;

/// <summary>What a customer pays: a currency, an interval and the charges below it.</summary>
internal sealed class Plan : IArchivableRow
{
    public static string Noun => "plan";

    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public required string Name { get; set; }

    public required string LookupId { get; set; }

    public string? Description { get; set; }

    public required string Type { get; set; }

    public required string BillingInterval { get; set; }

    public required string Currency { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? ArchivedAt { get; set; }
}

/// <summary>
/// One line of a plan: a FIXED amount per period, or a USAGE price on a meter's aggregated quantity
/// under a pricing model. Prices are kept exact to 12 decimals.
/// </summary>
internal sealed class Charge
{
    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public Guid PlanId { get; set; }

    public required string Type { get; set; }

    public required string DisplayName { get; set; }

    public decimal? Amount { get; set; }

    public Guid? MeterId { get; set; }

    public string? PricingModel { get; set; }

    public decimal? UnitPrice { get; set; }

    public decimal? PackageSize { get; set; }

    public decimal? PackagePrice { get; set; }

    public List<PriceTier>? Tiers { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? ArchivedAt { get; set; }
}

/// <summary>A tier of a graduated or volume price: units up to <see cref="UpTo"/> (null: no limit).</summary>
internal sealed record PriceTier(decimal? UpTo, decimal UnitPrice, decimal FlatFee);

internal sealed class PlanConfiguration : IEntityTypeConfiguration<Plan>, IEntityTypeConfiguration<Charge>
{
    /// <summary>numeric(28,12): 16 integer digits and the 12 decimals unit prices keep.</summary>
    public const int Precision = 28;
    public const int Scale = 12;

    private static readonly JsonSerializerOptions TierJson = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public void Configure(EntityTypeBuilder<Plan> builder)
    {
        builder.ToTable("plans");
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.LookupId).HasMaxLength(100);
        builder.Property(p => p.Description).HasMaxLength(2000);
        builder.Property(p => p.Type).HasMaxLength(10);
        builder.Property(p => p.BillingInterval).HasMaxLength(10);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.HasIndex(p => new { p.OrganizationId, p.LookupId }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<Charge> builder)
    {
        builder.ToTable("charges");
        builder.Property(c => c.Type).HasMaxLength(10);
        builder.Property(c => c.DisplayName).HasMaxLength(200);
        builder.Property(c => c.PricingModel).HasMaxLength(20);
        builder.Property(c => c.Amount).HasPrecision(Precision, Scale);
        builder.Property(c => c.UnitPrice).HasPrecision(Precision, Scale);
        builder.Property(c => c.PackageSize).HasPrecision(Precision, Scale);
        builder.Property(c => c.PackagePrice).HasPrecision(Precision, Scale);
        // Tiers are read and written with their charge, never queried on their own.
        builder.Property(c => c.Tiers)
            .HasColumnType("jsonb")
            .HasConversion(
                tiers => tiers == null ? null : JsonSerializer.Serialize(tiers, TierJson),
                json => json == null ? null : JsonSerializer.Deserialize<List<PriceTier>>(json, TierJson),
                new ValueComparer<List<PriceTier>?>(
                    (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
                    tiers => tiers == null ? 0 : tiers.Aggregate(0, (hash, tier) => HashCode.Combine(hash, tier)),
                    tiers => tiers == null ? null : tiers.ToList()));
        builder.HasOne<Plan>().WithMany().HasForeignKey(c => c.PlanId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Feature>().WithMany().HasForeignKey(c => c.MeterId).HasPrincipalKey(f => f.MeterId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => c.OrganizationId);
    }
}
