using System;
using FluxSuite.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FluxSuite.Reseller.Data.Migrations
{
    /// <summary>
    /// <c>plan_counts</c>: the plans of <c>plan_periods</c> that are not cancelled, counted per reseller, mode, product and
    /// expiry rounded up to a UTC midnight (<c>infinity</c> without one), so that the usage summary reads a handful of
    /// counts instead of counting a reseller's plans on every request (docs/performance.md).
    /// <list type="bullet">
    /// <item>Kept by deferred constraint triggers on <c>plan_periods</c>: a purchase's count changes at its commit, in the
    /// round trip that already holds the reseller's balance row, not across a round trip of its own. A change that moves
    /// a plan between two counts takes them in key order. The expiry job (active to expired) changes no count.</item>
    /// <item>A count that reaches 0 is deleted; taking a plan from a count that has none fails the commit.</item>
    /// <item>The triggers are made before the backfill: they lock <c>plan_periods</c> against writes until the migration
    /// commits, so every plan is counted once, by the backfill or by a trigger.</item>
    /// </list>
    /// </summary>
    internal partial class CountPlansByEnd : ModelMigration
    {
        /// <summary>
        /// The count triggers' function, <c>reseller.<paramref name="name"/>()</c>, for a table of plans whose id is the column
        /// <paramref name="idColumn"/>: moves a plan between the counts of its old and new reseller, mode, product and expiry
        /// rounded up to a UTC midnight (on <c>plan_periods</c> here, on <c>plans</c> since CountPlansFromPlans).
        /// </summary>
        internal static string CountFunction(string name, string idColumn) => $$"""
            CREATE FUNCTION reseller.{{name}}() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                -- OLD is null in an insert's trigger, NEW in a delete's.
                old_counted boolean := TG_OP <> 'INSERT' AND OLD.status <> 'cancelled';
                new_counted boolean := TG_OP <> 'DELETE' AND NEW.status <> 'cancelled';
                old_ends_by timestamptz;
                new_ends_by timestamptz;
                plans_now integer;
            BEGIN
                -- The expiry rounded up to a UTC midnight (timestamps are whole microseconds); infinity without one.
                IF old_counted THEN
                    old_ends_by := CASE WHEN OLD.expires_at IS NULL THEN 'infinity'::timestamptz
                        ELSE date_trunc('day', OLD.expires_at - interval '1 microsecond', 'UTC') + interval '24 hours' END;
                END IF;
                IF new_counted THEN
                    new_ends_by := CASE WHEN NEW.expires_at IS NULL THEN 'infinity'::timestamptz
                        ELSE date_trunc('day', NEW.expires_at - interval '1 microsecond', 'UTC') + interval '24 hours' END;
                END IF;
                IF old_counted AND new_counted
                   AND (OLD.reseller_id, OLD.mode, old_ends_by, OLD.product) = (NEW.reseller_id, NEW.mode, new_ends_by, NEW.product) THEN
                    RETURN NULL;
                END IF;

                -- Two counts change: the lower key first, so that transactions moving plans between the same two
                -- counts lock them in one order.
                IF new_counted AND (NOT old_counted
                   OR (NEW.reseller_id, NEW.mode, new_ends_by, NEW.product) < (OLD.reseller_id, OLD.mode, old_ends_by, OLD.product)) THEN
                    INSERT INTO reseller.plan_counts AS c (reseller_id, mode, ends_by, product, plans)
                    VALUES (NEW.reseller_id, NEW.mode, new_ends_by, NEW.product, 1)
                    ON CONFLICT (reseller_id, mode, ends_by, product) DO UPDATE SET plans = c.plans + 1;
                    new_counted := false;
                END IF;
                IF old_counted THEN
                    UPDATE reseller.plan_counts c SET plans = c.plans - 1
                    WHERE c.reseller_id = OLD.reseller_id AND c.mode = OLD.mode AND c.ends_by = old_ends_by AND c.product = OLD.product
                    RETURNING c.plans INTO plans_now;
                    IF NOT FOUND THEN
                        RAISE EXCEPTION 'plan_counts has no count of reseller %, mode %, product %, ends by % to take plan % from',
                            OLD.reseller_id, OLD.mode, OLD.product, old_ends_by, OLD.{{idColumn}};
                    ELSIF plans_now = 0 THEN
                        DELETE FROM reseller.plan_counts c
                        WHERE c.reseller_id = OLD.reseller_id AND c.mode = OLD.mode AND c.ends_by = old_ends_by AND c.product = OLD.product;
                    END IF;
                END IF;
                IF new_counted THEN
                    INSERT INTO reseller.plan_counts AS c (reseller_id, mode, ends_by, product, plans)
                    VALUES (NEW.reseller_id, NEW.mode, new_ends_by, NEW.product, 1)
                    ON CONFLICT (reseller_id, mode, ends_by, product) DO UPDATE SET plans = c.plans + 1;
                END IF;
                RETURN NULL;
            END $$;
            """;

        /// <summary>
        /// The deferred count triggers on <paramref name="table"/> (named <c>trg_{table}_count_*</c>): insert, delete, and an
        /// update that changes what is counted; <paramref name="updateOf"/> (" OF column, …" or empty) narrows the update's.
        /// </summary>
        internal static string CountTriggers(string table, string updateOf, string function) => $"""
            CREATE CONSTRAINT TRIGGER trg_{table}_count_insert AFTER INSERT ON reseller.{table}
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status <> 'cancelled')
            EXECUTE FUNCTION reseller.{function}();

            CREATE CONSTRAINT TRIGGER trg_{table}_count_update AFTER UPDATE{updateOf} ON reseller.{table}
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
            WHEN ((OLD.status = 'cancelled') IS DISTINCT FROM (NEW.status = 'cancelled') OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
                  OR OLD.reseller_id <> NEW.reseller_id OR OLD.mode <> NEW.mode OR OLD.product <> NEW.product)
            EXECUTE FUNCTION reseller.{function}();

            CREATE CONSTRAINT TRIGGER trg_{table}_count_delete AFTER DELETE ON reseller.{table}
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.status <> 'cancelled')
            EXECUTE FUNCTION reseller.{function}();
            """;

        /// <summary>The trigger that empties <c>plan_counts</c> when <paramref name="table"/> is truncated.</summary>
        internal static string TruncateTrigger(string table) => $"""
            CREATE TRIGGER trg_{table}_count_truncate AFTER TRUNCATE ON reseller.{table}
            FOR EACH STATEMENT EXECUTE FUNCTION reseller.clear_plan_counts();
            """;

        /// <summary>Drops the four triggers <see cref="CountTriggers"/> and <see cref="TruncateTrigger"/> make on <paramref name="table"/>.</summary>
        internal static string DropCountTriggers(string table) => $"""
            DROP TRIGGER trg_{table}_count_truncate ON reseller.{table};
            DROP TRIGGER trg_{table}_count_delete ON reseller.{table};
            DROP TRIGGER trg_{table}_count_update ON reseller.{table};
            DROP TRIGGER trg_{table}_count_insert ON reseller.{table};
            """;

        /// <summary>The counts made from <paramref name="table"/>'s plans that are not cancelled, in place of any there were.</summary>
        internal static string Recount(string table) => $"""
            DELETE FROM reseller.plan_counts;
            INSERT INTO reseller.plan_counts (reseller_id, mode, product, plans, ends_by)
            SELECT reseller_id, mode, product, count(*),
                   CASE WHEN expires_at IS NULL THEN 'infinity'::timestamptz
                        ELSE date_trunc('day', expires_at - interval '1 microsecond', 'UTC') + interval '24 hours' END
            FROM reseller.{table} WHERE status <> 'cancelled'
            GROUP BY 1, 2, 3, 5;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "plan_counts",
                schema: "reseller",
                columns: table => new
                {
                    reseller_id = table.Column<Guid>(type: "uuid", nullable: false),
                    mode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    ends_by = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    product = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    plans = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plan_counts", x => new { x.reseller_id, x.mode, x.ends_by, x.product });
                    table.CheckConstraint("ck_plan_counts_plans", "plans >= 0");
                });

            migrationBuilder.Sql($"""
                {CountFunction("count_plan_period", "plan_id")}

                {CountTriggers("plan_periods", string.Empty, "count_plan_period")}

                CREATE FUNCTION reseller.clear_plan_counts() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM reseller.plan_counts;
                    RETURN NULL;
                END $$;

                {TruncateTrigger("plan_periods")}

                {Recount("plan_periods")}
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                {DropCountTriggers("plan_periods")}
                DROP FUNCTION reseller.clear_plan_counts();
                DROP FUNCTION reseller.count_plan_period();
                """);

            migrationBuilder.DropTable(
                name: "plan_counts",
                schema: "reseller");
        }
    }
}
