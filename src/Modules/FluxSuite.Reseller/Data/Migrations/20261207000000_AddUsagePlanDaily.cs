using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FluxSuite.Reseller.Data.Migrations
{
    /// <summary>
    /// A daily rollup per plan (<c>usage_plan_daily</c>), filled from the hourly rollup, which equals the raw records;
    /// from here on the ingest keeps it in the same transaction as the records.
    /// </summary>
    internal partial class AddUsagePlanDaily : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "usage_plan_daily",
                schema: "reseller");
        }
    }
}
