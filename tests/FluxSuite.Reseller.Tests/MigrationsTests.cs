using FluxSuite.Reseller.Data;
using FluxSuite.Testing;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Tests;

public sealed class MigrationsTests
{
    [Fact]
    public async Task Given_the_migrations_Then_they_build_exactly_the_model()
    {
        var differences = await MigrationDrift.FindAsync<ResellerDbContext>(o => new ResellerDbContext(o), ResellerDbContext.Schema);

        Assert.Empty(differences);
    }

    [Fact]
    public void Given_the_model_Then_the_snapshot_has_it_and_no_migration_is_missing()
    {
        using var db = new ResellerDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration: run the README's dotnet ef migrations add command for Reseller.");
    }

    [Fact]
    public async Task Given_ledger_entries_written_before_products_were_recorded_Then_the_migration_gives_each_its_plans_product_and_back()
    {
        await using var database = await MigrationDatabase<ResellerDbContext>.CreateAsync(o => new ResellerDbContext(o), ResellerDbContext.Schema);
        var db = database.Context;
        await database.MigrateAsync("20261217000000_ClaimRatePermitsInBlocks");
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO reseller.resellers (id, name, email, status, created_at, updated_at)
            VALUES ('00000000-0000-0000-0000-00000000000a', 'Acme', 'ops@acme.test', 'active', now(), now());
            INSERT INTO reseller.plans (id, reseller_id, mode, product, billing_type, status, proxy_username, proxy_password, hostname,
                port_http, port_socks, bytes_used, cost_cents, upstream_reference, created_at, updated_at, overage_bytes)
            VALUES ('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-00000000000a', 'live', 'shared_isp', 'bandwidth', 'active',
                'u', 'p', 'h', 1, 2, 0, 300, 'up-1', now(), now(), 0);
            INSERT INTO reseller.ledger_entries (id, reseller_id, mode, type, amount_cents, balance_after_cents, plan_id, description, created_at)
            VALUES ('00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-00000000000a', 'live', 'topup', 1000, 1000, NULL, 'Top-up', now()),
                   ('00000000-0000-0000-0000-0000000000c2', '00000000-0000-0000-0000-00000000000a', 'live', 'purchase', -300, 700,
                    '00000000-0000-0000-0000-0000000000b1', 'Purchase', now());
            """);

        await database.MigrateAsync();
        var products = await db.Ledger.AsNoTracking().OrderBy(e => e.Id).Select(e => e.Product).ToListAsync();
        await database.MigrateAsync("20261217000000_ClaimRatePermitsInBlocks");
        var kept = await db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM reseller.ledger_entries").SingleAsync();

        Assert.Equal([null, Catalog.Product.SharedIsp], products);
        Assert.Equal(2, kept);
    }

    [Fact]
    public void Given_the_last_migration_Then_its_target_model_is_the_model()
    {
        using var db = new ResellerDesignTimeFactory().CreateDbContext([]);

        Assert.Empty(MigrationDrift.FromLastTargetModel(db));
    }
}
