using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FluxSuite.Metering.Data.Migrations;

/// <summary>
/// Invoices and their lines, the per-organization number counters, the email outbox, and the
/// subscriptions' period-close cursor. Triggers keep a finalized invoice exactly as it was issued.
/// </summary>
[DbContext(typeof(MeteringDbContext))]
[Migration("20261123000000_CreateInvoices")]
internal sealed class CreateInvoices : Migration
{
    /// <summary>
    /// Sets the cursor of subscriptions that existed before invoicing: the end of the period in which
    /// each was created (or its first period, if it starts later), capped at its end. Boundaries follow
    /// the anchor exactly as <c>BillingPeriods</c> does (UTC, month arithmetic clamped to month end).
    /// </summary>
    public const string BackfillNextCloseAt =
        """
        UPDATE metering.subscriptions s
        SET next_close_at = CASE WHEN s.ends_at IS NOT NULL AND s.ends_at <= p.period_start THEN NULL
                                 ELSE LEAST(p.period_end, s.ends_at) END
        FROM (
            SELECT x.id,
                   (x.anchor + make_interval(months => x.n * x.step)) AT TIME ZONE 'UTC' AS period_start,
                   (x.anchor + make_interval(months => (x.n + 1) * x.step)) AT TIME ZONE 'UTC' AS period_end
            FROM (
                SELECT b.id, b.anchor, b.step,
                       (SELECT max(k) FROM generate_series(0, b.months / b.step + 1) k
                        WHERE (b.anchor + make_interval(months => k * b.step)) AT TIME ZONE 'UTC' <= b.since) AS n
                FROM (
                    SELECT id, start_date AT TIME ZONE 'UTC' AS anchor,
                           CASE billing_interval WHEN 'year' THEN 12 ELSE 1 END AS step,
                           GREATEST(created_at, start_date) AS since,
                           ((date_part('year', GREATEST(created_at, start_date) AT TIME ZONE 'UTC')
                             - date_part('year', start_date AT TIME ZONE 'UTC')) * 12
                            + date_part('month', GREATEST(created_at, start_date) AT TIME ZONE 'UTC')
                            - date_part('month', start_date AT TIME ZONE 'UTC'))::int AS months
                    FROM metering.subscriptions) b) x) p
        WHERE p.id = s.id
        """;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql(
            """
            ALTER TABLE metering.subscriptions ADD next_close_at timestamp with time zone NULL;
            CREATE INDEX ix_subscriptions_next_close_at ON metering.subscriptions (next_close_at) WHERE next_close_at IS NOT NULL;

            CREATE TABLE metering.invoices (
                id uuid NOT NULL,
                organization_id uuid NOT NULL,
                customer_id uuid NOT NULL,
                subscription_id uuid NOT NULL,
                plan_id uuid NOT NULL,
                number character varying(32) NULL,
                status character varying(10) NOT NULL,
                currency character varying(3) NOT NULL,
                organization_name character varying(200) NOT NULL,
                customer_name character varying(200) NOT NULL,
                customer_email character varying(254) NULL,
                customer_external_id character varying(255) NOT NULL,
                plan_name character varying(200) NOT NULL,
                period_start timestamp with time zone NOT NULL,
                period_end timestamp with time zone NOT NULL,
                range_start timestamp with time zone NOT NULL,
                range_end timestamp with time zone NOT NULL,
                closes_period boolean NOT NULL,
                total numeric(28,12) NOT NULL,
                created_at timestamp with time zone NOT NULL,
                updated_at timestamp with time zone NOT NULL,
                issued_at timestamp with time zone NULL,
                due_at timestamp with time zone NULL,
                paid_at timestamp with time zone NULL,
                voided_at timestamp with time zone NULL,
                CONSTRAINT pk_invoices PRIMARY KEY (id),
                CONSTRAINT fk_invoices_organizations_organization_id FOREIGN KEY (organization_id)
                    REFERENCES metering.organizations (id) ON DELETE CASCADE,
                CONSTRAINT fk_invoices_customers_customer_id FOREIGN KEY (customer_id) REFERENCES metering.customers (id) ON DELETE RESTRICT,
                CONSTRAINT fk_invoices_subscriptions_subscription_id FOREIGN KEY (subscription_id)
                    REFERENCES metering.subscriptions (id) ON DELETE RESTRICT,
                CONSTRAINT fk_invoices_plans_plan_id FOREIGN KEY (plan_id) REFERENCES metering.plans (id) ON DELETE RESTRICT);
            CREATE UNIQUE INDEX ix_invoices_subscription_id_period_start ON metering.invoices (subscription_id, period_start) WHERE closes_period;
            CREATE UNIQUE INDEX ix_invoices_subscription_id_range_start ON metering.invoices (subscription_id, range_start);
            CREATE UNIQUE INDEX ix_invoices_organization_id_number ON metering.invoices (organization_id, number) WHERE number IS NOT NULL;
            CREATE INDEX ix_invoices_organization_id_created_at ON metering.invoices (organization_id, created_at);
            CREATE INDEX ix_invoices_customer_id ON metering.invoices (customer_id);
            CREATE INDEX ix_invoices_plan_id ON metering.invoices (plan_id);
            CREATE INDEX ix_invoices_drafts_created_at ON metering.invoices (created_at) WHERE status = 'DRAFT';

            CREATE TABLE metering.invoice_lines (
                id uuid NOT NULL,
                invoice_id uuid NOT NULL,
                position integer NOT NULL,
                charge_id uuid NOT NULL,
                type character varying(10) NOT NULL,
                description character varying(200) NOT NULL,
                meter_id uuid NULL,
                pricing_model character varying(20) NULL,
                quantity numeric(28,12) NOT NULL,
                period_quantity numeric(28,12) NOT NULL,
                unit_price numeric(28,12) NULL,
                tiers jsonb NULL,
                package_size numeric(28,12) NULL,
                package_price numeric(28,12) NULL,
                packages numeric(28,12) NULL,
                period_amount numeric(28,12) NOT NULL,
                previously_billed numeric(28,12) NOT NULL,
                amount numeric(28,12) NOT NULL,
                CONSTRAINT pk_invoice_lines PRIMARY KEY (id),
                CONSTRAINT fk_invoice_lines_invoices_invoice_id FOREIGN KEY (invoice_id) REFERENCES metering.invoices (id) ON DELETE CASCADE,
                CONSTRAINT fk_invoice_lines_charges_charge_id FOREIGN KEY (charge_id) REFERENCES metering.charges (id) ON DELETE RESTRICT);
            CREATE UNIQUE INDEX ix_invoice_lines_invoice_id_position ON metering.invoice_lines (invoice_id, position);
            CREATE INDEX ix_invoice_lines_charge_id ON metering.invoice_lines (charge_id);

            CREATE TABLE metering.invoice_counters (
                organization_id uuid NOT NULL,
                last_number bigint NOT NULL,
                CONSTRAINT pk_invoice_counters PRIMARY KEY (organization_id),
                CONSTRAINT fk_invoice_counters_organizations_organization_id FOREIGN KEY (organization_id)
                    REFERENCES metering.organizations (id) ON DELETE CASCADE);

            CREATE TABLE metering.invoice_emails (
                id uuid NOT NULL,
                invoice_id uuid NOT NULL,
                organization_id uuid NOT NULL,
                recipient character varying(254) NULL,
                status character varying(10) NOT NULL,
                attempts integer NOT NULL,
                next_attempt_at timestamp with time zone NOT NULL,
                locked_until timestamp with time zone NULL,
                last_response character varying(1000) NULL,
                created_at timestamp with time zone NOT NULL,
                updated_at timestamp with time zone NOT NULL,
                sent_at timestamp with time zone NULL,
                CONSTRAINT pk_invoice_emails PRIMARY KEY (id),
                CONSTRAINT fk_invoice_emails_invoices_invoice_id FOREIGN KEY (invoice_id) REFERENCES metering.invoices (id) ON DELETE CASCADE,
                CONSTRAINT fk_invoice_emails_organizations_organization_id FOREIGN KEY (organization_id)
                    REFERENCES metering.organizations (id) ON DELETE CASCADE);
            CREATE UNIQUE INDEX ix_invoice_emails_invoice_id ON metering.invoice_emails (invoice_id);
            CREATE INDEX ix_invoice_emails_organization_id ON metering.invoice_emails (organization_id);
            CREATE INDEX ix_invoice_emails_pending_next_attempt_at ON metering.invoice_emails (next_attempt_at) WHERE status = 'pending';

            -- A finalized invoice is a document that was sent: only OPEN → PAID | VOID may change it, and
            -- only its status and the time of that change; its lines never change after DRAFT.
            CREATE FUNCTION metering.guard_finalized_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                mutable text[] := ARRAY['status', 'paid_at', 'voided_at', 'updated_at'];
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    IF OLD.status <> 'DRAFT' THEN
                        RAISE EXCEPTION 'invoice % is %: a finalized invoice is never deleted', OLD.id, OLD.status
                            USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    RETURN OLD;
                END IF;
                IF OLD.status = 'DRAFT' THEN
                    RETURN NEW;
                END IF;
                IF NOT (OLD.status = 'OPEN' AND NEW.status IN ('PAID', 'VOID'))
                   OR to_jsonb(NEW) - mutable IS DISTINCT FROM to_jsonb(OLD) - mutable THEN
                    RAISE EXCEPTION 'invoice % is %: it may only go from OPEN to PAID or VOID, and nothing else on it changes', OLD.id, OLD.status
                        USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END
            $$;
            CREATE TRIGGER guard_finalized_invoice BEFORE UPDATE OR DELETE ON metering.invoices
                FOR EACH ROW EXECUTE FUNCTION metering.guard_finalized_invoice();

            CREATE FUNCTION metering.guard_finalized_invoice_lines() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                invoice_status text;
            BEGIN
                SELECT status INTO invoice_status FROM metering.invoices
                WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.invoice_id ELSE NEW.invoice_id END;
                IF invoice_status IS DISTINCT FROM 'DRAFT' AND invoice_status IS NOT NULL THEN
                    RAISE EXCEPTION 'the lines of a % invoice never change', invoice_status
                        USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END
            $$;
            CREATE TRIGGER guard_finalized_invoice_lines BEFORE INSERT OR UPDATE OR DELETE ON metering.invoice_lines
                FOR EACH ROW EXECUTE FUNCTION metering.guard_finalized_invoice_lines();
            """);
        migrationBuilder.Sql(BackfillNextCloseAt + ";");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(
        """
        DROP TABLE metering.invoice_emails;
        DROP TABLE metering.invoice_counters;
        DROP TABLE metering.invoice_lines;
        DROP TABLE metering.invoices;
        DROP FUNCTION metering.guard_finalized_invoice_lines();
        DROP FUNCTION metering.guard_finalized_invoice();
        DROP INDEX metering.ix_subscriptions_next_close_at;
        ALTER TABLE metering.subscriptions DROP COLUMN next_close_at;
        """);
}
