using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FluxSuite.Reseller.Data.Migrations
{
    /// <summary>
    /// <c>plan_periods</c>: what the usage summary counts of each plan, kept by a trigger on <c>plans</c> in the same
    /// transaction as the plan's insert or change, and filled from the plans here. The plans index goes back to its
    /// columns without the summary's (they were read from the index only while the usage reports left the plans'
    /// pages all-visible, which under steady reporting they do not).
    /// </summary>
    internal partial class AddPlanPeriods : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_plans_reseller_id_mode_created_at",
                schema: "reseller",
                table: "plans");

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
                name: "ix_plans_reseller_id_mode_created_at",
                schema: "reseller",
                table: "plans",
                columns: new[] { "reseller_id", "mode", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_plan_periods_reseller_id_mode_created_at",
                schema: "reseller",
                table: "plan_periods",
                columns: new[] { "reseller_id", "mode", "created_at" })
                .Annotation("Npgsql:IndexInclude", new[] { "product", "status", "expires_at" });

            // Fires only when one of the copied columns is set: the usage reports' counter updates do not.
            migrationBuilder.Sql("""
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

            migrationBuilder.DropIndex(
                name: "ix_plans_reseller_id_mode_created_at",
                schema: "reseller",
                table: "plans");

            migrationBuilder.CreateIndex(
                name: "ix_plans_reseller_id_mode_created_at",
                schema: "reseller",
                table: "plans",
                columns: new[] { "reseller_id", "mode", "created_at" })
                .Annotation("Npgsql:IndexInclude", new[] { "product", "status", "expires_at" });
        }
    }
}
