using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FluxSuite.Reseller.Webhooks;

/// <summary>A reseller's webhook settings in one mode: the balance below which <c>balance.low</c> is sent (null: never).</summary>
internal sealed class WebhookSettings
{
    public Guid ResellerId { get; set; }

    /// <summary><c>live</c> or <c>test</c>, as plans store it.</summary>
    public required string Mode { get; set; }

    public long? BalanceLowThresholdCents { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// That a once-only event of a plan was written (<c>expiring</c>, <c>bandwidth_80</c>, <c>bandwidth_100</c>):
/// the primary key makes the second writer's insert a no-op, so each is reported once per plan.
/// </summary>
internal sealed class PlanNotice
{
    public Guid PlanId { get; set; }

    public required string Kind { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class WebhookSettingsConfiguration : IEntityTypeConfiguration<WebhookSettings>
{
    public void Configure(EntityTypeBuilder<WebhookSettings> builder)
    {
        builder.ToTable("webhook_settings", t => t.HasCheckConstraint("ck_webhook_settings_threshold", "balance_low_threshold_cents >= 0"));
        builder.HasKey(s => new { s.ResellerId, s.Mode });
        builder.Property(s => s.Mode).HasMaxLength(8);
    }
}

internal sealed class PlanNoticeConfiguration : IEntityTypeConfiguration<PlanNotice>
{
    public void Configure(EntityTypeBuilder<PlanNotice> builder)
    {
        builder.ToTable("plan_notices");
        builder.HasKey(n => new { n.PlanId, n.Kind });
        builder.Property(n => n.Kind).HasMaxLength(32);
        builder.HasOne<Data.Plan>().WithMany().HasForeignKey(n => n.PlanId).OnDelete(DeleteBehavior.Cascade);
    }
}
