using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FluxSuite.Listings.Data.Migrations;

/// <summary>Listings, their keys, their append-only change history and their pull sources.</summary>
[DbContext(typeof(ListingsDbContext))]
[Migration("20261123000000_CreateDirectory")]
internal sealed class CreateDirectory : Migration
{
    private const string Schema = "listings";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "providers",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                slug = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                description = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                long_description = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: true),
                website = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                discord = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                country = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                tiers = table.Column<string>(type: "jsonb", nullable: false),
                price_cumulus = table.Column<decimal>(type: "numeric", nullable: true,
                    computedColumnSql: "CAST(jsonb_path_query_first(tiers, '$[*] ? (@.tier == \"cumulus\").price') AS numeric)", stored: true),
                price_nimbus = table.Column<decimal>(type: "numeric", nullable: true,
                    computedColumnSql: "CAST(jsonb_path_query_first(tiers, '$[*] ? (@.tier == \"nimbus\").price') AS numeric)", stored: true),
                price_stratus = table.Column<decimal>(type: "numeric", nullable: true,
                    computedColumnSql: "CAST(jsonb_path_query_first(tiers, '$[*] ? (@.tier == \"stratus\").price') AS numeric)", stored: true),
                comments = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                has_discount = table.Column<bool>(type: "boolean", nullable: true),
                total_nodes = table.Column<int>(type: "integer", nullable: true),
                total_clients = table.Column<int>(type: "integer", nullable: true),
                uptime_percentage = table.Column<decimal>(type: "numeric", nullable: true),
                response_time_hours = table.Column<decimal>(type: "numeric", nullable: true),
                pnr_eligible_percent = table.Column<decimal>(type: "numeric", nullable: true),
                arcane_os_percent = table.Column<decimal>(type: "numeric", nullable: true),
                data_centers = table.Column<int>(type: "integer", nullable: true),
                sla = table.Column<decimal>(type: "numeric", nullable: true),
                languages = table.Column<List<string>>(type: "text[]", nullable: false),
                accepts_flux = table.Column<bool>(type: "boolean", nullable: true),
                accepts_stripe = table.Column<bool>(type: "boolean", nullable: true),
                accepts_fiat = table.Column<bool>(type: "boolean", nullable: true),
                support_channels = table.Column<List<string>>(type: "text[]", nullable: false),
                white_label = table.Column<bool>(type: "boolean", nullable: true),
                auto_renew = table.Column<bool>(type: "boolean", nullable: true),
                delegation_available = table.Column<bool>(type: "boolean", nullable: true),
                flux_labs_partner = table.Column<bool>(type: "boolean", nullable: false),
                verified = table.Column<bool>(type: "boolean", nullable: false),
                is_demo = table.Column<bool>(type: "boolean", nullable: false),
                rating = table.Column<decimal>(type: "numeric(3,2)", precision: 3, scale: 2, nullable: true),
                review_count = table.Column<int>(type: "integer", nullable: false),
                pushed_fields = table.Column<string>(type: "jsonb", nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                last_push_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                last_pull_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_providers", x => x.id));

        migrationBuilder.CreateTable(
            name: "listing_changes",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                provider_id = table.Column<Guid>(type: "uuid", nullable: false),
                field = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                old_value = table.Column<string>(type: "jsonb", nullable: true),
                new_value = table.Column<string>(type: "jsonb", nullable: true),
                source = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_listing_changes", x => x.id);
                table.CheckConstraint("ck_listing_changes_source", "source IN ('push', 'pull', 'admin')");
                table.ForeignKey("fk_listing_changes_providers_provider_id", x => x.provider_id, principalSchema: Schema,
                    principalTable: "providers", principalColumn: "id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "provider_keys",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                provider_id = table.Column<Guid>(type: "uuid", nullable: false),
                key_hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                origin = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_provider_keys", x => x.id);
                table.ForeignKey("fk_provider_keys_providers_provider_id", x => x.provider_id, principalSchema: Schema,
                    principalTable: "providers", principalColumn: "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "pull_sources",
            schema: Schema,
            columns: table => new
            {
                provider_id = table.Column<Guid>(type: "uuid", nullable: false),
                url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                interval_minutes = table.Column<int>(type: "integer", nullable: false),
                enabled = table.Column<bool>(type: "boolean", nullable: false),
                mapping = table.Column<string>(type: "jsonb", nullable: false),
                etag = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                last_modified = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                next_run_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                lease_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                last_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                last_success_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                last_outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                last_http_status = table.Column<int>(type: "integer", nullable: true),
                last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                last_error_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                consecutive_failures = table.Column<int>(type: "integer", nullable: false),
                skipped_fields = table.Column<List<string>>(type: "text[]", nullable: false),
                ignored_fields = table.Column<string>(type: "jsonb", nullable: false),
                missing_paths = table.Column<List<string>>(type: "text[]", nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_pull_sources", x => x.provider_id);
                table.ForeignKey("fk_pull_sources_providers_provider_id", x => x.provider_id, principalSchema: Schema,
                    principalTable: "providers", principalColumn: "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex("ix_listing_changes_provider_id_changed_at_id", "listing_changes", ["provider_id", "changed_at", "id"], Schema);
        migrationBuilder.CreateIndex("ix_provider_keys_key_hash", "provider_keys", "key_hash", Schema, unique: true);
        migrationBuilder.CreateIndex("ix_provider_keys_provider_id", "provider_keys", "provider_id", Schema);
        migrationBuilder.CreateIndex("ix_providers_slug", "providers", "slug", Schema, unique: true);
        migrationBuilder.CreateIndex("ix_pull_sources_next_run_at", "pull_sources", "next_run_at", Schema);

        // The history is append-only: the database itself refuses to rewrite or delete it.
        migrationBuilder.Sql(
            $"""
            CREATE FUNCTION {Schema}.listing_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'listing_changes is append-only: % is not allowed', TG_OP;
            END $$;
            CREATE TRIGGER listing_changes_append_only BEFORE UPDATE OR DELETE ON {Schema}.listing_changes
                FOR EACH ROW EXECUTE FUNCTION {Schema}.listing_changes_append_only();
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "pull_sources", schema: Schema);
        migrationBuilder.DropTable(name: "provider_keys", schema: Schema);
        migrationBuilder.DropTable(name: "listing_changes", schema: Schema);
        migrationBuilder.Sql($"DROP FUNCTION IF EXISTS {Schema}.listing_changes_append_only();");
        migrationBuilder.DropTable(name: "providers", schema: Schema);
    }
}
