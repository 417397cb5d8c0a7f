using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FluxSuite.Host.Tests;

/// <summary>
/// The drift check every module runs must notice a migration that does not build the model. These
/// contexts share one model; one's migration forgets a column, the other's gets it right.
/// </summary>
public sealed class DriftDetectionTests
{
    [Fact]
    public async Task Given_a_migration_that_forgets_a_column_Then_the_drift_check_reports_that_column()
    {
        var differences = await MigrationDrift.FindAsync<ForgetfulContext>(o => new ForgetfulContext(o), DriftProbe.Schema);

        Assert.Contains(differences, d => d.StartsWith("only in model: column gadgets.size_in_mm type=int4", StringComparison.Ordinal));
        Assert.All(differences, d => Assert.Contains("size_in_mm", d, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Given_a_migration_that_builds_the_model_Then_the_drift_check_finds_nothing()
    {
        var differences = await MigrationDrift.FindAsync<FaithfulContext>(o => new FaithfulContext(o), DriftProbe.Schema);

        Assert.Empty(differences);
    }

    [Fact]
    public void Given_PascalCase_names_Then_snake_case_is_what_PostgreSQL_people_expect()
    {
        Assert.Equal("provider_key", SnakeCaseNamingConvention.ToSnakeCase("ProviderKey"));
        Assert.Equal("last_used_at", SnakeCaseNamingConvention.ToSnakeCase("LastUsedAt"));
        Assert.Equal("pk_provider_keys", SnakeCaseNamingConvention.ToSnakeCase("PK_ProviderKeys"));
        Assert.Equal("sha256_hash", SnakeCaseNamingConvention.ToSnakeCase("Sha256Hash"));
        Assert.Equal("http_status", SnakeCaseNamingConvention.ToSnakeCase("HTTPStatus"));
    }
}

internal static class DriftProbe
{
    public const string Schema = "drift_probe";

    public static void Model(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<Gadget>(gadget =>
        {
            gadget.ToTable("gadgets");
            gadget.HasKey(g => g.Id);
            gadget.Property(g => g.Name).HasMaxLength(80);
            gadget.HasIndex(g => g.Name).IsUnique();
        });
    }

    public static void CreateTable(MigrationBuilder migrationBuilder, bool withSize)
    {
        migrationBuilder.EnsureSchema(Schema);
        migrationBuilder.CreateTable(
            name: "gadgets",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                name = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_gadgets", x => x.id));
        if (withSize)
        {
            migrationBuilder.AddColumn<int>(name: "size_in_mm", schema: Schema, table: "gadgets", type: "integer", nullable: false);
        }

        migrationBuilder.CreateIndex(name: "ix_gadgets_name", schema: Schema, table: "gadgets", column: "name", unique: true);
    }
}

internal sealed class Gadget
{
    public Guid Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public int SizeInMm { get; set; }
}

internal sealed class ForgetfulContext(DbContextOptions options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => DriftProbe.Model(modelBuilder);

    // A probe with a migration and no snapshot: only the schema comparison is under test here.
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) => configurationBuilder.UseSnakeCaseNames();
}

internal sealed class FaithfulContext(DbContextOptions options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => DriftProbe.Model(modelBuilder);

    // A probe with a migration and no snapshot: only the schema comparison is under test here.
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) => configurationBuilder.UseSnakeCaseNames();
}

[DbContext(typeof(ForgetfulContext))]
[Migration("20260101000000_CreateGadgets")]
internal sealed class ForgetfulCreateGadgets : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => DriftProbe.CreateTable(migrationBuilder, withSize: false);
}

[DbContext(typeof(FaithfulContext))]
[Migration("20260101000000_CreateGadgets")]
internal sealed class FaithfulCreateGadgets : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => DriftProbe.CreateTable(migrationBuilder, withSize: true);
}
