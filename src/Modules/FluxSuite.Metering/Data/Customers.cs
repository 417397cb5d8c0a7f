using FluxSuite.Metering.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FluxSuite.Metering.Data;

/// <summary>Someone the organization bills; the SDK names them by <see cref="ExternalId"/>.</summary>
internal sealed class Customer : IOrganizationRow
{
    public static string Noun => "customer";

    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public required string Name { get; set; }

    public string? Email { get; set; }

    public required string ExternalId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// A customer on a plan from <see cref="StartDate"/>. Periods are not stored: they follow from the
/// start date (the anchor) and the interval, so they never drift.
/// </summary>
internal sealed class Subscription : IOrganizationRow
{
    public static string Noun => "subscription";

    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public Guid CustomerId { get; set; }

    public Guid PlanId { get; set; }

    public required string BillingInterval { get; set; }

    public DateTimeOffset StartDate { get; set; }

    /// <summary>When the subscription ends (now, or the end of the period it was canceled in); null while it runs on.</summary>
    public DateTimeOffset? EndsAt { get; set; }

    public DateTimeOffset? CanceledAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// When the oldest period not yet closed by an invoice ends (capped at <see cref="EndsAt"/>); null once
    /// nothing is left to invoice. Only a cursor for the period-close job: what is closed is read from the invoices.
    /// </summary>
    public DateTimeOffset? NextCloseAt { get; set; }
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>, IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.ToTable("customers");
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.Email).HasMaxLength(254);
        builder.Property(c => c.ExternalId).HasMaxLength(255);
        builder.HasIndex(c => new { c.OrganizationId, c.ExternalId }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<Subscription> builder)
    {
        builder.ToTable("subscriptions");
        builder.Property(s => s.BillingInterval).HasMaxLength(10);
        builder.HasIndex(s => new { s.OrganizationId, s.CustomerId });
        builder.HasIndex(s => s.NextCloseAt).HasFilter("next_close_at IS NOT NULL");
        builder.HasOne<Customer>().WithMany().HasForeignKey(s => s.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Plan>().WithMany().HasForeignKey(s => s.PlanId).OnDelete(DeleteBehavior.Restrict);
    }
}
