using Microsoft.EntityFrameworkCore;

namespace FluxSuite.BuildingBlocks.Webhooks;

/// <summary>
/// The webhook tables, in the schema of the module that calls it: the outbox rows are written by the
/// module's own DbContext, in the transaction of the change they report.
/// </summary>
public static class WebhookModel
{
    public static ModelBuilder AddWebhookTables(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<WebhookEndpoint>(e =>
        {
            e.ToTable("webhook_endpoints");
            e.HasKey(x => x.Id);
            e.Property(x => x.Mode).HasMaxLength(8);
            e.Property(x => x.Url).HasMaxLength(2048);
            e.Property(x => x.Description).HasMaxLength(500);
            e.Property(x => x.Secret).HasMaxLength(100);
            e.Property(x => x.DisabledReason).HasMaxLength(1000);
            e.HasIndex(x => new { x.OwnerId, x.Mode });
        });
        modelBuilder.Entity<WebhookEvent>(e =>
        {
            e.ToTable("webhook_events");
            e.HasKey(x => x.Id);
            e.Ignore(x => x.MessageId);
            e.Property(x => x.Mode).HasMaxLength(8);
            e.Property(x => x.Type).HasMaxLength(100);
            e.HasIndex(x => new { x.OwnerId, x.Mode, x.CreatedAt });
        });
        modelBuilder.Entity<WebhookDelivery>(e =>
        {
            e.ToTable("webhook_deliveries");
            e.HasKey(x => x.Id);
            e.Property(x => x.Status).HasMaxLength(16);
            e.Property(x => x.LastError).HasMaxLength(1000);
            e.HasOne(x => x.Event).WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(x => x.EndpointId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.AttemptLog).WithOne().HasForeignKey(x => x.DeliveryId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.EndpointId, x.CreatedAt });
            e.HasIndex(x => x.EventId);
            // The delivery job's claim: due deliveries only.
            e.HasIndex(x => x.NextAttemptAt).HasFilter("status = 'pending'");
        });
        modelBuilder.Entity<WebhookAttempt>(e =>
        {
            e.ToTable("webhook_attempts");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.DeliveryId, x.AttemptedAt });
        });
        return modelBuilder;
    }
}
