using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FluxSuite.Reseller.Data.Migrations;

[DbContext(typeof(ResellerDbContext))]
[Migration("20261122010000_AddResellerAccountsPlansAndStock")]
internal sealed class AddResellerAccountsPlansAndStock : Migration
{
    private const string Schema = "reseller";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "resellers",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_resellers", x => x.id);
                table.CheckConstraint("ck_resellers_status", "status IN ('active', 'suspended')");
            });

        migrationBuilder.CreateTable(
            name: "reseller_keys",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                reseller_id = table.Column<Guid>(type: "uuid", nullable: false),
                mode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                key_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                key_prefix = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_reseller_keys", x => x.id);
                table.ForeignKey("fk_reseller_keys_resellers_reseller_id", x => x.reseller_id, principalSchema: Schema,
                    principalTable: "resellers", principalColumn: "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_reseller_keys_key_hash", schema: Schema, table: "reseller_keys", column: "key_hash", unique: true);
        migrationBuilder.CreateIndex("ix_reseller_keys_reseller_id", schema: Schema, table: "reseller_keys", column: "reseller_id");

        migrationBuilder.CreateTable(
            name: "balances",
            schema: Schema,
            columns: table => new
            {
                reseller_id = table.Column<Guid>(type: "uuid", nullable: false),
                mode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                balance_cents = table.Column<long>(type: "bigint", nullable: false),
                total_spent_cents = table.Column<long>(type: "bigint", nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_balances", x => new { x.reseller_id, x.mode });
                table.CheckConstraint("ck_balances_not_negative", "balance_cents >= 0");
                table.ForeignKey("fk_balances_resellers_reseller_id", x => x.reseller_id, principalSchema: Schema,
                    principalTable: "resellers", principalColumn: "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "ledger_entries",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                reseller_id = table.Column<Guid>(type: "uuid", nullable: false),
                mode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                amount_cents = table.Column<long>(type: "bigint", nullable: false),
                balance_after_cents = table.Column<long>(type: "bigint", nullable: false),
                plan_id = table.Column<Guid>(type: "uuid", nullable: true),
                description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_ledger_entries", x => x.id);
                table.CheckConstraint("ck_ledger_entries_type", "type IN ('topup', 'purchase', 'extend', 'refund', 'adjustment')");
                table.CheckConstraint("ck_ledger_entries_balance_after", "balance_after_cents >= 0");
                table.ForeignKey("fk_ledger_entries_resellers_reseller_id", x => x.reseller_id, principalSchema: Schema,
                    principalTable: "resellers", principalColumn: "id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("ix_ledger_entries_reseller_id_mode_created_at", schema: Schema, table: "ledger_entries",
            columns: ["reseller_id", "mode", "created_at"]);

        // The ledger is append-only: a correction is a new entry, never an edit.
        migrationBuilder.Sql($"""
            CREATE FUNCTION {Schema}.ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'ledger entries are append-only (% refused)', TG_OP;
            END;
            $$;
            CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON {Schema}.ledger_entries
                FOR EACH ROW EXECUTE FUNCTION {Schema}.ledger_entries_append_only();
            """);

        migrationBuilder.CreateTable(
            name: "product_settings",
            schema: Schema,
            columns: table => new
            {
                reseller_id = table.Column<Guid>(type: "uuid", nullable: false),
                product = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                enabled = table.Column<bool>(type: "boolean", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_product_settings", x => new { x.reseller_id, x.product });
                table.ForeignKey("fk_product_settings_resellers_reseller_id", x => x.reseller_id, principalSchema: Schema,
                    principalTable: "resellers", principalColumn: "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "price_overrides",
            schema: Schema,
            columns: table => new
            {
                reseller_id = table.Column<Guid>(type: "uuid", nullable: false),
                product = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                component = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                cents = table.Column<long>(type: "bigint", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_price_overrides", x => new { x.reseller_id, x.product, x.component });
                table.CheckConstraint("ck_price_overrides_cents", "cents >= 0");
                table.ForeignKey("fk_price_overrides_resellers_reseller_id", x => x.reseller_id, principalSchema: Schema,
                    principalTable: "resellers", principalColumn: "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "plans",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                reseller_id = table.Column<Guid>(type: "uuid", nullable: false),
                mode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                product = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                billing_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                proxy_username = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                proxy_password = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                hostname = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                port_http = table.Column<int>(type: "integer", nullable: false),
                port_socks = table.Column<int>(type: "integer", nullable: false),
                max_bytes = table.Column<long>(type: "bigint", nullable: true),
                bytes_used = table.Column<long>(type: "bigint", nullable: false),
                bandwidth_mbps = table.Column<int>(type: "integer", nullable: true),
                duration = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                location = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                pool = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                quantity = table.Column<int>(type: "integer", nullable: true),
                price_per_gb_cents = table.Column<long>(type: "bigint", nullable: true),
                cost_cents = table.Column<long>(type: "bigint", nullable: false),
                end_user_reference = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                upstream_reference = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_plans", x => x.id);
                table.CheckConstraint("ck_plans_status", "status IN ('active', 'expired', 'cancelled')");
                table.CheckConstraint("ck_plans_bytes", "bytes_used >= 0");
                table.ForeignKey("fk_plans_resellers_reseller_id", x => x.reseller_id, principalSchema: Schema,
                    principalTable: "resellers", principalColumn: "id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("ix_plans_reseller_id_mode_created_at", schema: Schema, table: "plans",
            columns: ["reseller_id", "mode", "created_at"]);

        migrationBuilder.CreateTable(
            name: "plan_proxies",
            schema: Schema,
            columns: table => new
            {
                plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                position = table.Column<int>(type: "integer", nullable: false),
                host = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                port = table.Column<int>(type: "integer", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_plan_proxies", x => new { x.plan_id, x.position });
                table.ForeignKey("fk_plan_proxies_plans_plan_id", x => x.plan_id, principalSchema: Schema,
                    principalTable: "plans", principalColumn: "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "pools",
            schema: Schema,
            columns: table => new
            {
                mode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                provider = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                stock = table.Column<int>(type: "integer", nullable: false),
                is_subnet = table.Column<bool>(type: "boolean", nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_pools", x => new { x.mode, x.name });
                table.CheckConstraint("ck_pools_stock", "stock >= 0");
                table.CheckConstraint("ck_pools_provider", "provider IN ('ISP', 'SN')");
            });

        migrationBuilder.CreateTable(
            name: "dedicated_mobile_stock",
            schema: Schema,
            columns: table => new
            {
                mode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                location = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                stock = table.Column<int>(type: "integer", nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_dedicated_mobile_stock", x => new { x.mode, x.location });
                table.CheckConstraint("ck_dedicated_mobile_stock_stock", "stock >= 0");
            });

        migrationBuilder.CreateTable(
            name: "idempotency_keys",
            schema: Schema,
            columns: table => new
            {
                reseller_id = table.Column<Guid>(type: "uuid", nullable: false),
                mode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                request_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                lock_token = table.Column<Guid>(type: "uuid", nullable: false),
                locked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                response_status = table.Column<int>(type: "integer", nullable: true),
                response_body = table.Column<string>(type: "text", nullable: true),
                response_location = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_idempotency_keys", x => new { x.reseller_id, x.mode, x.key });
                table.CheckConstraint("ck_idempotency_keys_status", "status IN ('in_progress', 'completed')");
                table.ForeignKey("fk_idempotency_keys_resellers_reseller_id", x => x.reseller_id, principalSchema: Schema,
                    principalTable: "resellers", principalColumn: "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_idempotency_keys_expires_at", schema: Schema, table: "idempotency_keys", column: "expires_at");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[] { "idempotency_keys", "dedicated_mobile_stock", "pools", "plan_proxies", "plans", "price_overrides", "product_settings", "ledger_entries", "balances", "reseller_keys", "resellers" })
        {
            migrationBuilder.DropTable(table, Schema);
        }

        migrationBuilder.Sql($"DROP FUNCTION IF EXISTS {Schema}.ledger_entries_append_only();");
    }
}
