using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace FluxSuite.Reseller.Data.Migrations;

[DbContext(typeof(ResellerDbContext))]
[Migration("20261201000000_AddResellerUsageServersAndSubUsers")]
internal sealed class AddResellerUsageServersAndSubUsers : Migration
{
    private const string Schema = "reseller";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "sub_users",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                reseller_id = table.Column<Guid>(type: "uuid", nullable: false),
                mode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                traffic_limit_bytes = table.Column<long>(type: "bigint", nullable: true),
                bytes_used = table.Column<long>(type: "bigint", nullable: false),
                end_user_reference = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_sub_users", x => x.id);
                table.CheckConstraint("ck_sub_users_status", "status IN ('active', 'suspended')");
                table.CheckConstraint("ck_sub_users_traffic_limit_bytes", "traffic_limit_bytes > 0");
                table.CheckConstraint("ck_sub_users_bytes_used", "bytes_used >= 0");
                table.ForeignKey("fk_sub_users_resellers_reseller_id", x => x.reseller_id, principalSchema: Schema,
                    principalTable: "resellers", principalColumn: "id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("ix_sub_users_reseller_id_mode_created_at", schema: Schema, table: "sub_users",
            columns: ["reseller_id", "mode", "created_at"]);

        // Existing plans start with no overage; the default only fills them and is dropped again, as the model has none.
        migrationBuilder.AddColumn<long>("overage_bytes", schema: Schema, table: "plans", type: "bigint", nullable: false, defaultValue: 0L);
        migrationBuilder.Sql($"ALTER TABLE {Schema}.plans ALTER COLUMN overage_bytes DROP DEFAULT;");
        migrationBuilder.AddColumn<Guid>("sub_user_id", schema: Schema, table: "plans", type: "uuid", nullable: true);
        migrationBuilder.AddCheckConstraint("ck_plans_overage_bytes", schema: Schema, table: "plans", sql: "overage_bytes >= 0");
        migrationBuilder.CreateIndex("ix_plans_sub_user_id", schema: Schema, table: "plans", column: "sub_user_id");
        migrationBuilder.CreateIndex("ix_plans_expires_at", schema: Schema, table: "plans", column: "expires_at", filter: "status = 'active'");
        migrationBuilder.AddForeignKey("fk_plans_sub_users_sub_user_id", schema: Schema, table: "plans", column: "sub_user_id",
            principalSchema: Schema, principalTable: "sub_users", principalColumn: "id", onDelete: ReferentialAction.Restrict);

        migrationBuilder.CreateTable(
            name: "usage_records",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                record_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                bytes = table.Column<long>(type: "bigint", nullable: false),
                accepted_bytes = table.Column<long>(type: "bigint", nullable: false),
                received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_usage_records", x => x.id);
                table.CheckConstraint("ck_usage_records_bytes", "bytes >= 0");
                table.CheckConstraint("ck_usage_records_accepted_bytes", "accepted_bytes >= 0 AND accepted_bytes <= bytes");
                table.ForeignKey("fk_usage_records_plans_plan_id", x => x.plan_id, principalSchema: Schema,
                    principalTable: "plans", principalColumn: "id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("ix_usage_records_plan_id_record_id", schema: Schema, table: "usage_records",
            columns: ["plan_id", "record_id"], unique: true, filter: "record_id IS NOT NULL");

        migrationBuilder.CreateTable(
            name: "usage_hourly",
            schema: Schema,
            columns: table => new
            {
                plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                hour = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                bytes = table.Column<long>(type: "bigint", nullable: false),
                overage_bytes = table.Column<long>(type: "bigint", nullable: false),
                records = table.Column<long>(type: "bigint", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_usage_hourly", x => new { x.plan_id, x.hour }));

        migrationBuilder.CreateTable(
            name: "usage_daily",
            schema: Schema,
            columns: table => new
            {
                reseller_id = table.Column<Guid>(type: "uuid", nullable: false),
                mode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                product = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                day = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                bytes = table.Column<long>(type: "bigint", nullable: false),
                overage_bytes = table.Column<long>(type: "bigint", nullable: false),
                records = table.Column<long>(type: "bigint", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_usage_daily", x => new { x.reseller_id, x.mode, x.product, x.day }));

        migrationBuilder.CreateTable(
            name: "usage_minutely",
            schema: Schema,
            columns: table => new
            {
                plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                minute = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                reseller_id = table.Column<Guid>(type: "uuid", nullable: false),
                mode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                bytes = table.Column<long>(type: "bigint", nullable: false),
                overage_bytes = table.Column<long>(type: "bigint", nullable: false),
                records = table.Column<long>(type: "bigint", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_usage_minutely", x => new { x.plan_id, x.minute }));
        migrationBuilder.CreateIndex("ix_usage_minutely_reseller_id_mode_minute", schema: Schema, table: "usage_minutely",
            columns: ["reseller_id", "mode", "minute"]);

        migrationBuilder.CreateTable(
            name: "servers",
            schema: Schema,
            columns: table => new
            {
                plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                ready_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_servers", x => x.plan_id);
                table.ForeignKey("fk_servers_plans_plan_id", x => x.plan_id, principalSchema: Schema,
                    principalTable: "plans", principalColumn: "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "server_events",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                completes_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                source = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_server_events", x => x.id);
                table.CheckConstraint("ck_server_events_kind", "kind IN ('rotation', 'restart')");
                table.CheckConstraint("ck_server_events_source", "source IN ('api', 'link')");
                table.ForeignKey("fk_server_events_plans_plan_id", x => x.plan_id, principalSchema: Schema,
                    principalTable: "plans", principalColumn: "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_server_events_plan_id_requested_at", schema: Schema, table: "server_events",
            columns: ["plan_id", "requested_at"]);

        migrationBuilder.CreateTable(
            name: "signing_keys",
            schema: Schema,
            columns: table => new
            {
                name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                key = table.Column<byte[]>(type: "bytea", nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_signing_keys", x => x.name));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[] { "signing_keys", "server_events", "servers", "usage_minutely", "usage_daily", "usage_hourly", "usage_records" })
        {
            migrationBuilder.DropTable(table, Schema);
        }

        migrationBuilder.DropForeignKey("fk_plans_sub_users_sub_user_id", "plans", Schema);
        migrationBuilder.DropIndex("ix_plans_expires_at", "plans", Schema);
        migrationBuilder.DropIndex("ix_plans_sub_user_id", "plans", Schema);
        migrationBuilder.DropCheckConstraint("ck_plans_overage_bytes", "plans", Schema);
        migrationBuilder.DropColumn("sub_user_id", "plans", Schema);
        migrationBuilder.DropColumn("overage_bytes", "plans", Schema);
        migrationBuilder.DropTable("sub_users", Schema);
    }
}
