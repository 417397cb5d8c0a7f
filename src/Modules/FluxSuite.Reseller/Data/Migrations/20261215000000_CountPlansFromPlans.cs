using FluxSuite.BuildingBlocks.Persistence;
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
    internal partial class CountPlansFromPlans : ChangesModelOf<CompleteIdempotencyWithPurchase>
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                DROP TRIGGER trg_plans_plan_periods ON reseller.plans;
                DROP FUNCTION reseller.copy_plan_period();
                DROP TABLE reseller.plan_periods;
                DROP FUNCTION reseller.count_plan_period();

                {CountFunction("count_plan", "id")}

                CREATE CONSTRAINT TRIGGER trg_plans_count_insert AFTER INSERT ON reseller.plans
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status <> 'cancelled')
                EXECUTE FUNCTION reseller.count_plan();

                CREATE CONSTRAINT TRIGGER trg_plans_count_update AFTER UPDATE OF reseller_id, mode, product, status, expires_at ON reseller.plans
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
                WHEN ((OLD.status = 'cancelled') IS DISTINCT FROM (NEW.status = 'cancelled') OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
                      OR OLD.reseller_id <> NEW.reseller_id OR OLD.mode <> NEW.mode OR OLD.product <> NEW.product)
                EXECUTE FUNCTION reseller.count_plan();

                CREATE CONSTRAINT TRIGGER trg_plans_count_delete AFTER DELETE ON reseller.plans
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.status <> 'cancelled')
                EXECUTE FUNCTION reseller.count_plan();

                CREATE TRIGGER trg_plans_count_truncate AFTER TRUNCATE ON reseller.plans
                FOR EACH STATEMENT EXECUTE FUNCTION reseller.clear_plan_counts();

                {Recount("plans")}
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                DROP TRIGGER trg_plans_count_truncate ON reseller.plans;
                DROP TRIGGER trg_plans_count_delete ON reseller.plans;
                DROP TRIGGER trg_plans_count_update ON reseller.plans;
                DROP TRIGGER trg_plans_count_insert ON reseller.plans;
                DROP FUNCTION reseller.count_plan();

                CREATE TABLE reseller.plan_periods (
                    plan_id uuid NOT NULL,
                    reseller_id uuid NOT NULL,
                    mode character varying(8) NOT NULL,
                    product character varying(32) NOT NULL,
                    status character varying(16) NOT NULL,
                    created_at timestamp with time zone NOT NULL,
                    expires_at timestamp with time zone,
                    CONSTRAINT pk_plan_periods PRIMARY KEY (plan_id),
                    CONSTRAINT fk_plan_periods_plans_plan_id FOREIGN KEY (plan_id) REFERENCES reseller.plans (id) ON DELETE CASCADE);
                CREATE INDEX ix_plan_periods_reseller_id_mode_created_at ON reseller.plan_periods (reseller_id, mode, created_at)
                    INCLUDE (product, status, expires_at);

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

                -- Before the count triggers: rows inserted in this transaction would be counted again at its commit.
                INSERT INTO reseller.plan_periods (plan_id, reseller_id, mode, product, status, created_at, expires_at)
                SELECT id, reseller_id, mode, product, status, created_at, expires_at FROM reseller.plans;

                {CountFunction("count_plan_period", "plan_id")}

                CREATE CONSTRAINT TRIGGER trg_plan_periods_count_insert AFTER INSERT ON reseller.plan_periods
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status <> 'cancelled')
                EXECUTE FUNCTION reseller.count_plan_period();

                CREATE CONSTRAINT TRIGGER trg_plan_periods_count_update AFTER UPDATE ON reseller.plan_periods
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
                WHEN ((OLD.status = 'cancelled') IS DISTINCT FROM (NEW.status = 'cancelled') OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
                      OR OLD.reseller_id <> NEW.reseller_id OR OLD.mode <> NEW.mode OR OLD.product <> NEW.product)
                EXECUTE FUNCTION reseller.count_plan_period();

                CREATE CONSTRAINT TRIGGER trg_plan_periods_count_delete AFTER DELETE ON reseller.plan_periods
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.status <> 'cancelled')
                EXECUTE FUNCTION reseller.count_plan_period();

                CREATE TRIGGER trg_plan_periods_count_truncate AFTER TRUNCATE ON reseller.plan_periods
                FOR EACH STATEMENT EXECUTE FUNCTION reseller.clear_plan_counts();

                {Recount("plan_periods")}
                """);
        }

        // The count trigger's function (CountPlansByEnd's, on a table whose plan id is the column idColumn): moves a plan
        // between the counts of its old and new reseller, mode, product and expiry rounded up to a UTC midnight.
        private static string CountFunction(string name, string idColumn) => $$"""
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

        // The counts made again from table's plans that are not cancelled (the triggers above lock it against writes until commit).
        private static string Recount(string table) => $"""
            DELETE FROM reseller.plan_counts;
            INSERT INTO reseller.plan_counts (reseller_id, mode, product, plans, ends_by)
            SELECT reseller_id, mode, product, count(*),
                   CASE WHEN expires_at IS NULL THEN 'infinity'::timestamptz
                        ELSE date_trunc('day', expires_at - interval '1 microsecond', 'UTC') + interval '24 hours' END
            FROM reseller.{table} WHERE status <> 'cancelled'
            GROUP BY 1, 2, 3, 5;
            """;
    }
}
