using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.BuildingBlocks.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Data;

internal sealed class ResellerDbContext(DbContextOptions<ResellerDbContext> options) : ModuleDbContext(options)
{
    public const string Schema = "reseller";

    public DbSet<ResellerAccount> Resellers => Set<ResellerAccount>();

    public DbSet<ResellerKey> Keys => Set<ResellerKey>();

    public DbSet<Balance> Balances => Set<Balance>();

    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();

    public DbSet<ProductSetting> ProductSettings => Set<ProductSetting>();

    public DbSet<PriceOverride> PriceOverrides => Set<PriceOverride>();

    public DbSet<Plan> Plans => Set<Plan>();

    public DbSet<PlanProxy> PlanProxies => Set<PlanProxy>();

    public DbSet<ProxyPool> Pools => Set<ProxyPool>();

    public DbSet<DedicatedMobileStock> DedicatedMobileStock => Set<DedicatedMobileStock>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<SubUser> SubUsers => Set<SubUser>();

    public DbSet<UsageRecord> UsageRecords => Set<UsageRecord>();

    public DbSet<UsageHour> UsageHours => Set<UsageHour>();

    public DbSet<UsagePlanDay> UsagePlanDays => Set<UsagePlanDay>();


    public DbSet<PlanCount> PlanCounts => Set<PlanCount>();

    public DbSet<UsageDay> UsageDays => Set<UsageDay>();

    public DbSet<UsageMinute> UsageMinutes => Set<UsageMinute>();

    public DbSet<Server> Servers => Set<Server>();

    public DbSet<ServerEvent> ServerEvents => Set<ServerEvent>();

    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

    public DbSet<KeyRateWindow> KeyRateWindows => Set<KeyRateWindow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ResellerDbContext).Assembly);
        modelBuilder.AddWebhookTables();
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UseSnakeCaseNames();
}
