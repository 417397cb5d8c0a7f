using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FluxSuite.Reseller.Data.Migrations
{
    /// <summary>
    /// The plans index by reseller, mode and creation time also carries product, status and expiry, so the usage
    /// summary counts a reseller's plans from the index alone (where the visibility map allows).
    /// </summary>
    internal partial class CoverPlanCountsInPlansIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_plans_reseller_id_mode_created_at",
                schema: "reseller",
                table: "plans");

            migrationBuilder.CreateIndex(
                name: "ix_plans_reseller_id_mode_created_at",
                schema: "reseller",
                table: "plans",
                columns: new[] { "reseller_id", "mode", "created_at" });
        }
    }
}
