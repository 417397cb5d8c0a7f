using FluxSuite.Metering.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FluxSuite.Metering.Data;

/// <summary>An SDK key <c>org_live_…</c>; only its SHA-256 is stored.</summary>
internal sealed class ApiKey : IOrganizationRow
{
    public static string Noun => "API key";

    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public required string Name { get; set; }

    public required string Prefix { get; set; }

    public required string KeyHash { get; set; }

    public required string[] Scopes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>
/// One tracked usage event. Written by set-based SQL on the hot path (see <c>Usage/EventWriter</c>);
/// the model is here for the schema and for reads. No foreign keys: the writer only inserts events
/// whose meter and customer it has just resolved inside the organization, and a foreign key check
/// would lock the same customer row from every concurrent insert.
/// </summary>
internal sealed class UsageEvent
{
    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public Guid MeterId { get; set; }

    public Guid CustomerId { get; set; }

    public string? IdempotencyKey { get; set; }

    /// <summary>SHA-256 of the request as sent, to tell a retry from a different event under the same key.</summary>
    public required byte[] PayloadHash { get; set; }

    public decimal Quantity { get; set; }

    public string? Properties { get; set; }

    public DateTimeOffset Timestamp { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>, IEntityTypeConfiguration<UsageEvent>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.Property(k => k.Name).HasMaxLength(200);
        builder.Property(k => k.Prefix).HasMaxLength(32);
        builder.Property(k => k.KeyHash).HasMaxLength(64);
        builder.HasIndex(k => k.KeyHash).IsUnique();
        builder.HasIndex(k => k.OrganizationId);
        builder.HasOne<Organization>().WithMany().HasForeignKey(k => k.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<UsageEvent> builder)
    {
        builder.ToTable("events");
        builder.Property(e => e.IdempotencyKey).HasMaxLength(255);
        builder.Property(e => e.Quantity).HasPrecision(PlanConfiguration.Precision, PlanConfiguration.Scale);
        builder.Property(e => e.Properties).HasColumnType("jsonb");
        // Idempotency is per organization and lasts as long as the event (events are never deleted).
        builder.HasIndex(e => new { e.OrganizationId, e.IdempotencyKey }).IsUnique().HasFilter("idempotency_key IS NOT NULL");
        // Usage by meter over time, and by customer and meter over a billing period.
        builder.HasIndex(e => new { e.MeterId, e.Timestamp });
        builder.HasIndex(e => new { e.CustomerId, e.MeterId, e.Timestamp });
    }
}
