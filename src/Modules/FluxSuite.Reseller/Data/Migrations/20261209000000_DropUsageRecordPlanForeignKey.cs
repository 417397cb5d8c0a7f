using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FluxSuite.Reseller.Data.Migrations
{
    /// <summary>
    /// Usage records lose their foreign key to plans: its per-row check cost a trigger call and a plans lookup for each
    /// stored record. The ingest inserts only records of plans it has locked in the same transaction; plans are never deleted.
    /// </summary>
    internal partial class DropUsageRecordPlanForeignKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_usage_records_plans_plan_id",
                schema: "reseller",
                table: "usage_records");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
