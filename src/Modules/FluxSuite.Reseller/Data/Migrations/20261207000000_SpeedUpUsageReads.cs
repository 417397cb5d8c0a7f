using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FluxSuite.Reseller.Data.Migrations
{
    /// <summary>
    /// What the usage reads and reports need to be fast (docs/performance.md):
    /// <list type="bullet">
    /// <item><c>usage_plan_daily</c>, a daily rollup per plan for the daily and weekly series, filled from the hourly
    /// rollup (which equals the raw records); from here on the ingest keeps it in the same transaction as the records.</item>
    /// <item><c>plan_periods</c>, what the usage summary counts of each plan, kept by a trigger on <c>plans</c> in the
    /// transaction of the plan's insert or change and filled from the plans here. A copy, because the usage reports
    /// update the plans' counters all the time, which keeps an index-only count over <c>plans</c> from working.</item>
    /// <item>No foreign key from <c>usage_records</c> to <c>plans</c>: its per-row check was a quarter of a report's
    /// insert. The ingest stores only records of plans it has locked in the same transaction; plans are never deleted.</item>
    /// </list>
    /// </summary>
    internal partial class SpeedUpUsageReads : Migration
    {
        /// <summary>
        /// The trigger on <c>plans</c> that copies a plan's row into <c>plan_periods</c> (also made again by
        /// CountPlansFromPlans' Down). Fires only when one of the copied columns is set: the usage reports' counter updates do not.
        /// </summary>
        internal const string CopyPlanPeriods = """
            CREATE FUNCTION reseller.copy_plan_period() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO reseller.plan_periods (plan_id, reseller_id, mode, product, status, created_at, expires_at)
                VALUES (NEW.id, NEW.reseller_id, NEW.mode, NEW.product, NEW.status, NEW.created_at, NEW.expires_at)
                ON CONFLICT (plan_id) DO UPDATE SET reseller_id = EXCLUDED.reseller_id, mode = EXCLUDED.mode,
                    product = EXCLUDED.product, status = EXCLUDED.status, created_at = EXCLUDED.created_at,
                    expires_at = EXCLUDED.expires_at;
                RETURN NULL;
            END $$;

            CREATE TRIGGER trg_plans_plan_periods
            AFTER INSERT OR UPDATE OF reseller_id, mode, product, status, created_at, expires_at ON reseller.plans
            FOR EACH ROW EXECUTE FUNCTION reseller.copy_plan_period();
            """;

        /// <summary>The <c>plan_periods</c> table and its index, empty (also made again by CountPlansFromPlans' Down).</summary>
        internal static void CreatePlanPeriods(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "plan_periods",
                schema: "reseller",
                columns: table => new
                {
                    plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                    reseller_id = table.Column<Guid>(type: "uuid", nullable: false),
                    mode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    product = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plan_periods", x => x.plan_id);
                    table.ForeignKey(
                        name: "fk_plan_periods_plans_plan_id",
                        column: x => x.plan_id,
                        principalSchema: "reseller",
                        principalTable: "plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_plan_periods_reseller_id_mode_created_at",
                schema: "reseller",
                table: "plan_periods",
                columns: new[] { "reseller_id", "mode", "created_at" })
                .Annotation("Npgsql:IndexInclude", new[] { "product", "status", "expires_at" });
        }

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_usage_records_plans_plan_id",
                schema: "reseller",
                table: "usage_records");

            CreatePlanPeriods(migrationBuilder);

            migrationBuilder.CreateTable(
                name: "usage_plan_daily",
                schema: "reseller",
                columns: table => new
                {
                    plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    bytes = table.Column<long>(type: "bigint", nullable: false),
                    overage_bytes = table.Column<long>(type: "bigint", nullable: false),
                    records = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_usage_plan_daily", x => new { x.plan_id, x.day });
                });

            migrationBuilder.Sql("""
                INSERT INTO reseller.usage_plan_daily (plan_id, day, bytes, overage_bytes, records)
                SELECT plan_id, date_trunc('day', "hour", 'UTC'), sum(bytes), sum(overage_bytes), sum(records)
                FROM reseller.usage_hourly GROUP BY 1, 2
                """);

            migrationBuilder.Sql($"""
                {CopyPlanPeriods}

                INSERT INTO reseller.plan_periods (plan_id, reseller_id, mode, product, status, created_at, expires_at)
                SELECT id, reseller_id, mode, product, status, created_at, expires_at FROM reseller.plans;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER trg_plans_plan_periods ON reseller.plans;
                DROP FUNCTION reseller.copy_plan_period();
                """);

            migrationBuilder.DropTable(
                name: "plan_periods",
                schema: "reseller");

            migrationBuilder.DropTable(
                name: "usage_plan_daily",
                schema: "reseller");

            migrationBuilder.AddForeignKey(
                name: "fk_usage_records_plans_plan_id",
                schema: "reseller",
                table: "usage_records",
                column: "plan_id",
                principalSchema: "reseller",
                principalTable: "plans",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
