using FluxSuite.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FluxSuite.Reseller.Data.Migrations
{
    /// <summary>
    /// Two of the plans' indexes leave out the rows no query looks for in them: the expiry job's index the plans that never
    /// expire (bandwidth plans, <c>expires_at</c> null), the sub-user index the plans without a sub-user. Every query that
    /// used them compares the column with <c>=</c>, <c>&lt;</c> or <c>&lt;=</c>, which no null matches, so each still can;
    /// a purchase of such a plan writes one or two index entries fewer (docs/performance.md).
    /// </summary>
    internal sealed partial class NarrowPlanIndexes : ChangesModelOf<CountPlansFromPlans>
    {
        // The new filters, in the model (the Designer part) and in the database alike.
        private const string ExpiryFilter = "status = 'active' AND expires_at IS NOT NULL";
        private const string SubUserFilter = "sub_user_id IS NOT NULL";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            Replace(migrationBuilder, ExpiryFilter, SubUserFilter);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Replace(migrationBuilder, "status = 'active'", null);
        }

        private static void Replace(MigrationBuilder migrationBuilder, string expiryFilter, string subUserFilter)
        {
            migrationBuilder.DropIndex(name: "ix_plans_expires_at", schema: "reseller", table: "plans");
            migrationBuilder.DropIndex(name: "ix_plans_sub_user_id", schema: "reseller", table: "plans");
            migrationBuilder.CreateIndex(
                name: "ix_plans_expires_at", schema: "reseller", table: "plans", column: "expires_at", filter: expiryFilter);
            migrationBuilder.CreateIndex(
                name: "ix_plans_sub_user_id", schema: "reseller", table: "plans", column: "sub_user_id", filter: subUserFilter);
        }
    }
}
