using FluxSuite.Reseller.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace FluxSuite.Reseller.Data;

/// <summary>Enums are stored as their wire names, so the database reads like the API.</summary>
internal static class WireConverters
{
    public static ValueConverter<Mode, string> Mode { get; } = new(v => v.WireName(), v => Products.ParseMode(v));

    public static ValueConverter<Product, string> Product { get; } = new(v => v.WireName(), v => Products.Parse(v));

    public static ValueConverter<BillingType, string> BillingType { get; } =
        new(v => v == Catalog.BillingType.Time ? "time" : "bandwidth", v => v == "time" ? Catalog.BillingType.Time : Catalog.BillingType.Bandwidth);
}

internal sealed class ResellerAccountConfiguration : IEntityTypeConfiguration<ResellerAccount>
{
    public void Configure(EntityTypeBuilder<ResellerAccount> builder)
    {
        builder.ToTable("resellers", t => t.HasCheckConstraint("ck_resellers_status", "status IN ('active', 'suspended')"));
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Property(r => r.Email).HasMaxLength(320);
        builder.Property(r => r.Status).HasMaxLength(16);
    }
}

internal sealed class ResellerKeyConfiguration : IEntityTypeConfiguration<ResellerKey>
{
    public void Configure(EntityTypeBuilder<ResellerKey> builder)
    {
        builder.ToTable("reseller_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Mode).HasConversion(WireConverters.Mode).HasMaxLength(8);
        builder.Property(k => k.KeyHash).HasMaxLength(64);
        builder.Property(k => k.KeyPrefix).HasMaxLength(32);
        builder.HasIndex(k => k.KeyHash).IsUnique();
        builder.HasOne<ResellerAccount>().WithMany().HasForeignKey(k => k.ResellerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BalanceConfiguration : IEntityTypeConfiguration<Balance>
{
    public void Configure(EntityTypeBuilder<Balance> builder)
    {
        builder.ToTable("balances", t => t.HasCheckConstraint("ck_balances_not_negative", "balance_cents >= 0"));
        builder.HasKey(b => new { b.ResellerId, b.Mode });
        builder.Property(b => b.Mode).HasConversion(WireConverters.Mode).HasMaxLength(8);
        builder.HasOne<ResellerAccount>().WithMany().HasForeignKey(b => b.ResellerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.ToTable("ledger_entries", t =>
        {
            t.HasCheckConstraint("ck_ledger_entries_type", "type IN ('topup', 'purchase', 'extend', 'refund', 'adjustment')");
            t.HasCheckConstraint("ck_ledger_entries_balance_after", "balance_after_cents >= 0");
        });
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Mode).HasConversion(WireConverters.Mode).HasMaxLength(8);
        builder.Property(e => e.Type).HasMaxLength(16);
        builder.Property(e => e.Description).HasMaxLength(500);
        builder.Property(e => e.Product).HasConversion(WireConverters.Product).HasMaxLength(32);
        // The transaction list reads by the key; the usage summary's spend reads the included columns without the table.
        builder.HasIndex(e => new { e.ResellerId, e.Mode, e.CreatedAt }).IncludeProperties(e => new { e.Type, e.AmountCents, e.Product });
        builder.HasOne<ResellerAccount>().WithMany().HasForeignKey(e => e.ResellerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ProductSettingConfiguration : IEntityTypeConfiguration<ProductSetting>
{
    public void Configure(EntityTypeBuilder<ProductSetting> builder)
    {
        builder.ToTable("product_settings");
        builder.HasKey(s => new { s.ResellerId, s.Product });
        builder.Property(s => s.Product).HasConversion(WireConverters.Product).HasMaxLength(32);
        builder.HasOne<ResellerAccount>().WithMany().HasForeignKey(s => s.ResellerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PriceOverrideConfiguration : IEntityTypeConfiguration<PriceOverride>
{
    public void Configure(EntityTypeBuilder<PriceOverride> builder)
    {
        builder.ToTable("price_overrides", t => t.HasCheckConstraint("ck_price_overrides_cents", "cents >= 0"));
        builder.HasKey(p => new { p.ResellerId, p.Product, p.Component });
        builder.Property(p => p.Product).HasConversion(WireConverters.Product).HasMaxLength(32);
        builder.Property(p => p.Component).HasMaxLength(64);
        builder.HasOne<ResellerAccount>().WithMany().HasForeignKey(p => p.ResellerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlanConfiguration : IEntityTypeConfiguration<Plan>
{
    public void Configure(EntityTypeBuilder<Plan> builder)
    {
        builder.ToTable("plans", t =>
        {
            t.HasCheckConstraint("ck_plans_status", "status IN ('active', 'expired', 'cancelled')");
            t.HasCheckConstraint("ck_plans_bytes", "bytes_used >= 0");
            t.HasCheckConstraint("ck_plans_overage_bytes", "overage_bytes >= 0");
        });
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Mode).HasConversion(WireConverters.Mode).HasMaxLength(8);
        builder.Property(p => p.Product).HasConversion(WireConverters.Product).HasMaxLength(32);
        builder.Property(p => p.BillingType).HasConversion(WireConverters.BillingType).HasMaxLength(16);
        builder.Property(p => p.Status).HasMaxLength(16);
        builder.Property(p => p.ProxyUsername).HasMaxLength(64);
        builder.Property(p => p.ProxyPassword).HasMaxLength(64);
        builder.Property(p => p.Hostname).HasMaxLength(255);
        builder.Property(p => p.Duration).HasMaxLength(16);
        builder.Property(p => p.Location).HasMaxLength(8);
        builder.Property(p => p.Pool).HasMaxLength(64);
        builder.Property(p => p.EndUserReference).HasMaxLength(255);
        builder.Property(p => p.UpstreamReference).HasMaxLength(128);
        builder.HasIndex(p => new { p.ResellerId, p.Mode, p.CreatedAt });
        // What the expiry job looks for: active plans by expiry. Plans that never expire (bandwidth plans) and plans without
        // a sub-user are left out of these two: no query looks for them there, and a purchase then writes two index entries
        // fewer (docs/performance.md).
        builder.HasIndex(p => p.ExpiresAt).HasFilter("status = 'active' AND expires_at IS NOT NULL");
        builder.HasIndex(p => p.SubUserId).HasFilter("sub_user_id IS NOT NULL");
        builder.HasOne<ResellerAccount>().WithMany().HasForeignKey(p => p.ResellerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<SubUser>().WithMany().HasForeignKey(p => p.SubUserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(p => p.Proxies).WithOne().HasForeignKey(x => x.PlanId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlanProxyConfiguration : IEntityTypeConfiguration<PlanProxy>
{
    public void Configure(EntityTypeBuilder<PlanProxy> builder)
    {
        builder.ToTable("plan_proxies");
        builder.HasKey(p => new { p.PlanId, p.Position });
        builder.Property(p => p.Host).HasMaxLength(64);
    }
}

internal sealed class ProxyPoolConfiguration : IEntityTypeConfiguration<ProxyPool>
{
    public void Configure(EntityTypeBuilder<ProxyPool> builder)
    {
        builder.ToTable("pools", t =>
        {
            t.HasCheckConstraint("ck_pools_stock", "stock >= 0");
            t.HasCheckConstraint("ck_pools_provider", "provider IN ('ISP', 'SN')");
        });
        builder.HasKey(p => new { p.Mode, p.Name });
        builder.Property(p => p.Mode).HasConversion(WireConverters.Mode).HasMaxLength(8);
        builder.Property(p => p.Name).HasMaxLength(64);
        builder.Property(p => p.Title).HasMaxLength(200);
        builder.Property(p => p.Provider).HasMaxLength(8);
        builder.Property(p => p.Country).HasMaxLength(2);
    }
}

internal sealed class DedicatedMobileStockConfiguration : IEntityTypeConfiguration<DedicatedMobileStock>
{
    public void Configure(EntityTypeBuilder<DedicatedMobileStock> builder)
    {
        builder.ToTable("dedicated_mobile_stock", t => t.HasCheckConstraint("ck_dedicated_mobile_stock_stock", "stock >= 0"));
        builder.HasKey(s => new { s.Mode, s.Location });
        builder.Property(s => s.Mode).HasConversion(WireConverters.Mode).HasMaxLength(8);
        builder.Property(s => s.Location).HasMaxLength(8);
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_keys", t => t.HasCheckConstraint("ck_idempotency_keys_status", "status IN ('in_progress', 'completed')"));
        builder.HasKey(r => new { r.ResellerId, r.Mode, r.Key });
        builder.Property(r => r.Mode).HasConversion(WireConverters.Mode).HasMaxLength(8);
        builder.Property(r => r.Key).HasMaxLength(255);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.Status).HasMaxLength(16);
        builder.Property(r => r.ResponseLocation).HasMaxLength(255);
        builder.HasIndex(r => r.ExpiresAt);
        builder.HasOne<ResellerAccount>().WithMany().HasForeignKey(r => r.ResellerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SubUserConfiguration : IEntityTypeConfiguration<SubUser>
{
    public void Configure(EntityTypeBuilder<SubUser> builder)
    {
        builder.ToTable("sub_users", t =>
        {
            t.HasCheckConstraint("ck_sub_users_status", "status IN ('active', 'suspended')");
            t.HasCheckConstraint("ck_sub_users_traffic_limit_bytes", "traffic_limit_bytes > 0");
            t.HasCheckConstraint("ck_sub_users_bytes_used", "bytes_used >= 0");
        });
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Mode).HasConversion(WireConverters.Mode).HasMaxLength(8);
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Status).HasMaxLength(16);
        builder.Property(s => s.EndUserReference).HasMaxLength(255);
        builder.HasIndex(s => new { s.ResellerId, s.Mode, s.CreatedAt });
        builder.HasOne<ResellerAccount>().WithMany().HasForeignKey(s => s.ResellerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class UsageRecordConfiguration : IEntityTypeConfiguration<UsageRecord>
{
    public void Configure(EntityTypeBuilder<UsageRecord> builder)
    {
        builder.ToTable("usage_records", t =>
        {
            t.HasCheckConstraint("ck_usage_records_bytes", "bytes >= 0");
            t.HasCheckConstraint("ck_usage_records_accepted_bytes", "accepted_bytes >= 0 AND accepted_bytes <= bytes");
        });
        // No surrogate key: records are only ever inserted, and read by (plan_id, record_id) for idempotency or summed; no
        // statement reads, changes or deletes one by its own id. An identity primary key was a sequence call and a second
        // index insert per record, the report's biggest cost after the unique index (docs/performance.md).
        builder.HasNoKey();
        // A gateway's id is an opaque token compared byte by byte (collation "C"): the unique index compares it on every
        // insert, and the database's linguistic collation made each comparison a strcoll call (docs/performance.md).
        builder.Property(r => r.RecordId).HasMaxLength(128).UseCollation("C");
        // A record id is unique per plan; records without one are never duplicates of each other.
        builder.HasIndex(r => new { r.PlanId, r.RecordId }).IsUnique().HasFilter("record_id IS NOT NULL");
        // No foreign key to plans: its check was a trigger call and a plans lookup per inserted record (a quarter of a
        // report's insert). The ingest stores only records of plans it has read and locked in the same transaction,
        // and plans are never deleted.
    }
}

internal sealed class UsageHourConfiguration : IEntityTypeConfiguration<UsageHour>
{
    public void Configure(EntityTypeBuilder<UsageHour> builder)
    {
        builder.ToTable("usage_hourly");
        builder.HasKey(h => new { h.PlanId, h.Hour });
    }
}

internal sealed class UsagePlanDayConfiguration : IEntityTypeConfiguration<UsagePlanDay>
{
    public void Configure(EntityTypeBuilder<UsagePlanDay> builder)
    {
        builder.ToTable("usage_plan_daily");
        builder.HasKey(d => new { d.PlanId, d.Day });
    }
}

internal sealed class PlanCountConfiguration : IEntityTypeConfiguration<PlanCount>
{
    public void Configure(EntityTypeBuilder<PlanCount> builder)
    {
        // Kept by the triggers trg_plans_count_* (migration CountPlansFromPlans), never written by the application.
        // Keyed so that the summary reads a reseller's counts that end after the period's start as one index range.
        builder.ToTable("plan_counts", t => t.HasCheckConstraint("ck_plan_counts_plans", "plans >= 0"));
        builder.HasKey(c => new { c.ResellerId, c.Mode, c.EndsBy, c.Product });
        builder.Property(c => c.Mode).HasConversion(WireConverters.Mode).HasMaxLength(8);
        builder.Property(c => c.Product).HasConversion(WireConverters.Product).HasMaxLength(32);
    }
}

internal sealed class UsageDayConfiguration : IEntityTypeConfiguration<UsageDay>
{
    public void Configure(EntityTypeBuilder<UsageDay> builder)
    {
        builder.ToTable("usage_daily");
        builder.HasKey(d => new { d.ResellerId, d.Mode, d.Product, d.Day });
        builder.Property(d => d.Mode).HasConversion(WireConverters.Mode).HasMaxLength(8);
        builder.Property(d => d.Product).HasConversion(WireConverters.Product).HasMaxLength(32);
    }
}

internal sealed class UsageMinuteConfiguration : IEntityTypeConfiguration<UsageMinute>
{
    public void Configure(EntityTypeBuilder<UsageMinute> builder)
    {
        builder.ToTable("usage_minutely");
        builder.HasKey(m => new { m.PlanId, m.Minute });
        builder.Property(m => m.Mode).HasConversion(WireConverters.Mode).HasMaxLength(8);
        builder.HasIndex(m => new { m.ResellerId, m.Mode, m.Minute });
    }
}

internal sealed class ServerConfiguration : IEntityTypeConfiguration<Server>
{
    public void Configure(EntityTypeBuilder<Server> builder)
    {
        builder.ToTable("servers");
        builder.HasKey(s => s.PlanId);
        builder.Property(s => s.Ip).HasMaxLength(64);
        builder.HasOne<Plan>().WithOne().HasForeignKey<Server>(s => s.PlanId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ServerEventConfiguration : IEntityTypeConfiguration<ServerEvent>
{
    public void Configure(EntityTypeBuilder<ServerEvent> builder)
    {
        builder.ToTable("server_events", t =>
        {
            t.HasCheckConstraint("ck_server_events_kind", "kind IN ('rotation', 'restart')");
            t.HasCheckConstraint("ck_server_events_source", "source IN ('api', 'link')");
        });
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).UseIdentityByDefaultColumn();
        builder.Property(e => e.Kind).HasMaxLength(16);
        builder.Property(e => e.Ip).HasMaxLength(64);
        builder.Property(e => e.Source).HasMaxLength(8);
        builder.HasIndex(e => new { e.PlanId, e.RequestedAt });
        builder.HasOne<Plan>().WithMany().HasForeignKey(e => e.PlanId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<SigningKey> builder)
    {
        builder.ToTable("signing_keys");
        builder.HasKey(k => k.Name);
        builder.Property(k => k.Name).HasMaxLength(64);
    }
}

internal sealed class KeyRateWindowConfiguration : IEntityTypeConfiguration<KeyRateWindow>
{
    public void Configure(EntityTypeBuilder<KeyRateWindow> builder)
    {
        // Unlogged: the per-request upsert writes no WAL and waits for no flush. A crash empties the table,
        // which only starts every key's window afresh; while PostgreSQL runs, every instance counts in it.
        builder.ToTable("key_rate_windows").IsUnlogged();
        builder.HasKey(w => w.KeyId);
        // Every claim sets it; the default is for an instance that counts one request at a time and inserts none.
        builder.Property(w => w.Granted).HasDefaultValue(0);
        builder.HasOne<ResellerKey>().WithMany().HasForeignKey(w => w.KeyId).OnDelete(DeleteBehavior.Cascade);
    }
}
