using FluxSuite.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FluxSuite.Reseller.Data.Migrations
{
    /// <summary>
    /// <c>plan_counts</c> is kept from <c>plans</c> itself, by deferred constraint triggers on it, and <c>plan_periods</c>
    /// is dropped. That narrow copy of the plans was what the usage summary counted before <c>plan_counts</c>; since, it
    /// was only the counts' source and the summary's range of plans created after its clock, which the plans' own
    /// <c>(reseller_id, mode, created_at)</c> index reads. Every purchase wrote it: a row trigger, a heap row, two index
    /// entries, a foreign key check that locks the new plan's row, about a fifth of the purchase's WAL (docs/performance.md).
    /// <list type="bullet">
    /// <item>The count triggers fire as before: at the commit, when a plan is inserted or deleted, or when its reseller,
    /// mode, product, expiry or whether it is cancelled changes (the update's trigger only for statements that set one
    /// of those columns, so the usage reports' counter updates queue nothing).</item>
    /// <item>The counts are made again from the plans while the new triggers' lock on <c>plans</c> keeps writers out, so
    /// they are exact whatever the old triggers left.</item>
    /// </list>
    /// </summary>
    [DbContext(typeof(ResellerDbContext))]
    [Migration("20261215000000_CountPlansFromPlans")]
    internal sealed class CountPlansFromPlans : ChangesModelOf<CompleteIdempotencyWithPurchase>
    {
        // The plans' columns a plan's count depends on: the update's trigger fires only for statements that set one.
        private const string CountedColumns = " OF reseller_id, mode, product, status, expires_at";

        /// <inheritdoc />
        protected override void ChangeModel(ModelBuilder modelBuilder) => modelBuilder.Ignore("FluxSuite.Reseller.Data.PlanPeriod");

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                DROP TRIGGER trg_plans_plan_periods ON reseller.plans;
                DROP FUNCTION reseller.copy_plan_period();
                DROP TABLE reseller.plan_periods;
                DROP FUNCTION reseller.count_plan_period();

                {CountPlansByEnd.CountFunction("count_plan", "id")}

                {CountPlansByEnd.CountTriggers("plans", CountedColumns, "count_plan")}

                {CountPlansByEnd.TruncateTrigger("plans")}

                {CountPlansByEnd.Recount("plans")}
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                {CountPlansByEnd.DropCountTriggers("plans")}
                DROP FUNCTION reseller.count_plan();
                """);

            SpeedUpUsageReads.CreatePlanPeriods(migrationBuilder);

            migrationBuilder.Sql($"""
                {SpeedUpUsageReads.CopyPlanPeriods}

                -- Before the count triggers: rows inserted in this transaction would be counted again at its commit.
                INSERT INTO reseller.plan_periods (plan_id, reseller_id, mode, product, status, created_at, expires_at)
                SELECT id, reseller_id, mode, product, status, created_at, expires_at FROM reseller.plans;

                {CountPlansByEnd.CountFunction("count_plan_period", "plan_id")}

                {CountPlansByEnd.CountTriggers("plan_periods", string.Empty, "count_plan_period")}

                {CountPlansByEnd.TruncateTrigger("plan_periods")}

                {CountPlansByEnd.Recount("plan_periods")}
                """);
        }
    }
}
