using System;
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
    internal partial class CountPlansByEnd : Migration
    {
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

            migrationBuilder.Sql("""
                CREATE FUNCTION reseller.plan_ends_by(expires_at timestamptz) RETURNS timestamptz LANGUAGE sql STABLE AS $$
                    SELECT CASE WHEN expires_at IS NULL THEN 'infinity'::timestamptz
                                WHEN date_trunc('day', expires_at, 'UTC') = expires_at THEN expires_at
                                ELSE date_trunc('day', expires_at, 'UTC') + interval '24 hours' END
                $$;

                CREATE FUNCTION reseller.add_plan_count(for_reseller uuid, for_mode varchar, for_ends_by timestamptz, for_product varchar, delta integer)
                RETURNS void LANGUAGE plpgsql AS $$
                DECLARE
                    plans_now integer;
                BEGIN
                    IF delta > 0 THEN
                        INSERT INTO reseller.plan_counts AS c (reseller_id, mode, ends_by, product, plans)
                        VALUES (for_reseller, for_mode, for_ends_by, for_product, delta)
                        ON CONFLICT (reseller_id, mode, ends_by, product) DO UPDATE SET plans = c.plans + EXCLUDED.plans;
                        RETURN;
                    END IF;
                    UPDATE reseller.plan_counts c SET plans = c.plans + delta
                    WHERE c.reseller_id = for_reseller AND c.mode = for_mode AND c.ends_by = for_ends_by AND c.product = for_product
                    RETURNING c.plans INTO plans_now;
                    IF NOT FOUND THEN
                        RAISE EXCEPTION 'plan_counts has no count of reseller %, mode %, product %, ends by % to take a plan from',
                            for_reseller, for_mode, for_product, for_ends_by;
                    ELSIF plans_now = 0 THEN
                        DELETE FROM reseller.plan_counts c
                        WHERE c.reseller_id = for_reseller AND c.mode = for_mode AND c.ends_by = for_ends_by AND c.product = for_product;
                    END IF;
                END $$;

                CREATE FUNCTION reseller.count_plan_period() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    old_counted boolean;
                    new_counted boolean;
                    old_ends_by timestamptz;
                    new_ends_by timestamptz;
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        PERFORM reseller.add_plan_count(NEW.reseller_id, NEW.mode, reseller.plan_ends_by(NEW.expires_at), NEW.product, 1);
                    ELSIF TG_OP = 'DELETE' THEN
                        PERFORM reseller.add_plan_count(OLD.reseller_id, OLD.mode, reseller.plan_ends_by(OLD.expires_at), OLD.product, -1);
                    ELSE
                        old_counted := OLD.status <> 'cancelled';
                        new_counted := NEW.status <> 'cancelled';
                        old_ends_by := reseller.plan_ends_by(OLD.expires_at);
                        new_ends_by := reseller.plan_ends_by(NEW.expires_at);
                        IF old_counted AND new_counted
                           AND (OLD.reseller_id, OLD.mode, old_ends_by, OLD.product) = (NEW.reseller_id, NEW.mode, new_ends_by, NEW.product) THEN
                            RETURN NULL;
                        END IF;
                        -- The lower key first: transactions that move plans between the same two counts lock them in one order.
                        IF old_counted AND (NOT new_counted
                           OR (OLD.reseller_id, OLD.mode, old_ends_by, OLD.product) < (NEW.reseller_id, NEW.mode, new_ends_by, NEW.product)) THEN
                            PERFORM reseller.add_plan_count(OLD.reseller_id, OLD.mode, old_ends_by, OLD.product, -1);
                            IF new_counted THEN
                                PERFORM reseller.add_plan_count(NEW.reseller_id, NEW.mode, new_ends_by, NEW.product, 1);
                            END IF;
                        ELSE
                            IF new_counted THEN
                                PERFORM reseller.add_plan_count(NEW.reseller_id, NEW.mode, new_ends_by, NEW.product, 1);
                            END IF;
                            IF old_counted THEN
                                PERFORM reseller.add_plan_count(OLD.reseller_id, OLD.mode, old_ends_by, OLD.product, -1);
                            END IF;
                        END IF;
                    END IF;
                    RETURN NULL;
                END $$;

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

                CREATE FUNCTION reseller.clear_plan_counts() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM reseller.plan_counts;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER trg_plan_periods_count_truncate AFTER TRUNCATE ON reseller.plan_periods
                FOR EACH STATEMENT EXECUTE FUNCTION reseller.clear_plan_counts();

                INSERT INTO reseller.plan_counts (reseller_id, mode, ends_by, product, plans)
                SELECT reseller_id, mode, reseller.plan_ends_by(expires_at), product, count(*)
                FROM reseller.plan_periods WHERE status <> 'cancelled'
                GROUP BY 1, 2, 3, 4;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER trg_plan_periods_count_truncate ON reseller.plan_periods;
                DROP TRIGGER trg_plan_periods_count_delete ON reseller.plan_periods;
                DROP TRIGGER trg_plan_periods_count_update ON reseller.plan_periods;
                DROP TRIGGER trg_plan_periods_count_insert ON reseller.plan_periods;
                DROP FUNCTION reseller.clear_plan_counts();
                DROP FUNCTION reseller.count_plan_period();
                DROP FUNCTION reseller.add_plan_count(uuid, varchar, timestamptz, varchar, integer);
                DROP FUNCTION reseller.plan_ends_by(timestamptz);
                """);

            migrationBuilder.DropTable(
                name: "plan_counts",
                schema: "reseller");
        }
    }
}
