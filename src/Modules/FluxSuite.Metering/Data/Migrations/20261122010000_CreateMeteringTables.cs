using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FluxSuite.Metering.Data.Migrations;

/// <summary>Organizations and users, meters, plans and charges, customers, subscriptions, API keys and events.</summary>
[DbContext(typeof(MeteringDbContext))]
[Migration("20261122010000_CreateMeteringTables")]
internal sealed class CreateMeteringTables : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(
        """
        CREATE TABLE metering.organizations (
            id uuid NOT NULL,
            name character varying(200) NOT NULL,
            created_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_organizations PRIMARY KEY (id));

        CREATE TABLE metering.users (
            id uuid NOT NULL,
            organization_id uuid NOT NULL,
            email character varying(254) NOT NULL,
            password_hash text NOT NULL,
            created_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_users PRIMARY KEY (id),
            CONSTRAINT fk_users_organizations_organization_id FOREIGN KEY (organization_id)
                REFERENCES metering.organizations (id) ON DELETE CASCADE);
        CREATE UNIQUE INDEX ix_users_email ON metering.users (email);
        CREATE INDEX ix_users_organization_id ON metering.users (organization_id);

        CREATE TABLE metering.user_sessions (
            id uuid NOT NULL,
            user_id uuid NOT NULL,
            organization_id uuid NOT NULL,
            created_at timestamp with time zone NOT NULL,
            expires_at timestamp with time zone NOT NULL,
            revoked_at timestamp with time zone NULL,
            CONSTRAINT pk_user_sessions PRIMARY KEY (id),
            CONSTRAINT fk_user_sessions_users_user_id FOREIGN KEY (user_id) REFERENCES metering.users (id) ON DELETE CASCADE,
            CONSTRAINT fk_user_sessions_organizations_organization_id FOREIGN KEY (organization_id)
                REFERENCES metering.organizations (id) ON DELETE CASCADE);
        CREATE INDEX ix_user_sessions_user_id ON metering.user_sessions (user_id);
        CREATE INDEX ix_user_sessions_organization_id ON metering.user_sessions (organization_id);

        CREATE TABLE metering.login_throttles (
            email character varying(254) NOT NULL,
            failures integer NOT NULL,
            window_started_at timestamp with time zone NOT NULL,
            locked_until timestamp with time zone NULL,
            CONSTRAINT pk_login_throttles PRIMARY KEY (email));

        CREATE TABLE metering.features (
            id uuid NOT NULL,
            organization_id uuid NOT NULL,
            name character varying(200) NOT NULL,
            lookup_key character varying(100) NOT NULL,
            type character varying(20) NOT NULL,
            meter_id uuid NOT NULL,
            meter_name character varying(100) NOT NULL,
            property_name character varying(100) NULL,
            aggregation_type character varying(20) NOT NULL,
            unit character varying(50) NULL,
            meter_token character varying(64) NOT NULL,
            created_at timestamp with time zone NOT NULL,
            updated_at timestamp with time zone NOT NULL,
            archived_at timestamp with time zone NULL,
            CONSTRAINT pk_features PRIMARY KEY (id),
            CONSTRAINT ak_features_meter_id UNIQUE (meter_id),
            CONSTRAINT fk_features_organizations_organization_id FOREIGN KEY (organization_id)
                REFERENCES metering.organizations (id) ON DELETE CASCADE);
        CREATE UNIQUE INDEX ix_features_organization_id_lookup_key ON metering.features (organization_id, lookup_key);
        CREATE UNIQUE INDEX ix_features_meter_token ON metering.features (meter_token);

        CREATE TABLE metering.plans (
            id uuid NOT NULL,
            organization_id uuid NOT NULL,
            name character varying(200) NOT NULL,
            lookup_id character varying(100) NOT NULL,
            description character varying(2000) NULL,
            type character varying(10) NOT NULL,
            billing_interval character varying(10) NOT NULL,
            currency character varying(3) NOT NULL,
            created_at timestamp with time zone NOT NULL,
            updated_at timestamp with time zone NOT NULL,
            archived_at timestamp with time zone NULL,
            CONSTRAINT pk_plans PRIMARY KEY (id),
            CONSTRAINT fk_plans_organizations_organization_id FOREIGN KEY (organization_id)
                REFERENCES metering.organizations (id) ON DELETE CASCADE);
        CREATE UNIQUE INDEX ix_plans_organization_id_lookup_id ON metering.plans (organization_id, lookup_id);

        CREATE TABLE metering.charges (
            id uuid NOT NULL,
            organization_id uuid NOT NULL,
            plan_id uuid NOT NULL,
            type character varying(10) NOT NULL,
            display_name character varying(200) NOT NULL,
            amount numeric(28,12) NULL,
            meter_id uuid NULL,
            pricing_model character varying(20) NULL,
            unit_price numeric(28,12) NULL,
            package_size numeric(28,12) NULL,
            package_price numeric(28,12) NULL,
            tiers jsonb NULL,
            created_at timestamp with time zone NOT NULL,
            updated_at timestamp with time zone NOT NULL,
            archived_at timestamp with time zone NULL,
            CONSTRAINT pk_charges PRIMARY KEY (id),
            CONSTRAINT fk_charges_plans_plan_id FOREIGN KEY (plan_id) REFERENCES metering.plans (id) ON DELETE CASCADE,
            CONSTRAINT fk_charges_features_meter_id FOREIGN KEY (meter_id) REFERENCES metering.features (meter_id) ON DELETE RESTRICT);
        CREATE INDEX ix_charges_organization_id ON metering.charges (organization_id);
        CREATE INDEX ix_charges_plan_id ON metering.charges (plan_id);
        CREATE INDEX ix_charges_meter_id ON metering.charges (meter_id);

        CREATE TABLE metering.customers (
            id uuid NOT NULL,
            organization_id uuid NOT NULL,
            name character varying(200) NOT NULL,
            email character varying(254) NULL,
            external_id character varying(255) NOT NULL,
            created_at timestamp with time zone NOT NULL,
            updated_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_customers PRIMARY KEY (id),
            CONSTRAINT fk_customers_organizations_organization_id FOREIGN KEY (organization_id)
                REFERENCES metering.organizations (id) ON DELETE CASCADE);
        CREATE UNIQUE INDEX ix_customers_organization_id_external_id ON metering.customers (organization_id, external_id);

        CREATE TABLE metering.subscriptions (
            id uuid NOT NULL,
            organization_id uuid NOT NULL,
            customer_id uuid NOT NULL,
            plan_id uuid NOT NULL,
            billing_interval character varying(10) NOT NULL,
            start_date timestamp with time zone NOT NULL,
            ends_at timestamp with time zone NULL,
            canceled_at timestamp with time zone NULL,
            created_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_subscriptions PRIMARY KEY (id),
            CONSTRAINT fk_subscriptions_customers_customer_id FOREIGN KEY (customer_id) REFERENCES metering.customers (id) ON DELETE CASCADE,
            CONSTRAINT fk_subscriptions_plans_plan_id FOREIGN KEY (plan_id) REFERENCES metering.plans (id) ON DELETE RESTRICT);
        CREATE INDEX ix_subscriptions_organization_id_customer_id ON metering.subscriptions (organization_id, customer_id);
        CREATE INDEX ix_subscriptions_customer_id ON metering.subscriptions (customer_id);
        CREATE INDEX ix_subscriptions_plan_id ON metering.subscriptions (plan_id);

        CREATE TABLE metering.api_keys (
            id uuid NOT NULL,
            organization_id uuid NOT NULL,
            name character varying(200) NOT NULL,
            prefix character varying(32) NOT NULL,
            key_hash character varying(64) NOT NULL,
            scopes text[] NOT NULL,
            created_at timestamp with time zone NOT NULL,
            last_used_at timestamp with time zone NULL,
            revoked_at timestamp with time zone NULL,
            CONSTRAINT pk_api_keys PRIMARY KEY (id),
            CONSTRAINT fk_api_keys_organizations_organization_id FOREIGN KEY (organization_id)
                REFERENCES metering.organizations (id) ON DELETE CASCADE);
        CREATE UNIQUE INDEX ix_api_keys_key_hash ON metering.api_keys (key_hash);
        CREATE INDEX ix_api_keys_organization_id ON metering.api_keys (organization_id);

        CREATE TABLE metering.events (
            id uuid NOT NULL,
            organization_id uuid NOT NULL,
            meter_id uuid NOT NULL,
            customer_id uuid NOT NULL,
            idempotency_key character varying(255) NULL,
            payload_hash bytea NOT NULL,
            quantity numeric(28,12) NOT NULL,
            properties jsonb NULL,
            "timestamp" timestamp with time zone NOT NULL,
            received_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_events PRIMARY KEY (id));
        CREATE UNIQUE INDEX ix_events_organization_id_idempotency_key ON metering.events (organization_id, idempotency_key)
            WHERE idempotency_key IS NOT NULL;
        CREATE INDEX ix_events_meter_id_timestamp ON metering.events (meter_id, "timestamp");
        CREATE INDEX ix_events_customer_id_meter_id_timestamp ON metering.events (customer_id, meter_id, "timestamp");
        """);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(
        """
        DROP TABLE metering.events;
        DROP TABLE metering.api_keys;
        DROP TABLE metering.subscriptions;
        DROP TABLE metering.customers;
        DROP TABLE metering.charges;
        DROP TABLE metering.plans;
        DROP TABLE metering.features;
        DROP TABLE metering.login_throttles;
        DROP TABLE metering.user_sessions;
        DROP TABLE metering.users;
        DROP TABLE metering.organizations;
        """);
}
