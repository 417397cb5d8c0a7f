#!/usr/bin/env bash
# Metering invoicing at scale: the period close and the finalization of 10,000 subscriptions whose
# ended period holds 1,000,000 events, each timed through the running host's own scheduled jobs.
#
# Organizations, meters, plans and charges are created through the API (10 organizations, each with
# a SUM meter and three plans: per-unit, hybrid fixed + graduated, volume). Customers, subscriptions
# and events are seeded in one set-based transaction with psql: each subscription started on the 1st
# of last month (UTC), so exactly one monthly period has ended, and its events fall inside that period.
#
# Then, with nothing but the database:
#   close     the subscriptions' period-close cursor is armed (next_close_at = the end of that period,
#             as the API sets it); the next firing of the period-close job drafts the invoices. Timed
#             from the first batch's clock (the drafts' created_at) until the last draft is committed.
#   finalize  the host runs on the real clock with the default 1 h grace period, so the drafts are
#             moved one hour into the past (created_at), as if the hour had gone by; the next firing of
#             the finalize job recomputes, numbers and issues them. Timed from the first batch's clock
#             (issued_at) until the last invoice is OPEN.
# The jobs fire every minute (Scheduler:Jobs:metering-*, Hangfire cron), so each phase first waits for a
# firing; that wait is not in the figures. Checks after each phase guard the figures: one invoice per
# subscription, per-unit totals equal to the usage priced in SQL, gap-free numbers per organization.
#
# Settings: INVOICING_SUBSCRIPTIONS (10000), INVOICING_EVENTS (1000000), INVOICING_ORGANIZATIONS (10).
# Markdown on stdout (the report section); progress on stderr.
set -euo pipefail
SUBSCRIPTIONS=${INVOICING_SUBSCRIPTIONS:-10000}
EVENTS=${INVOICING_EVENTS:-1000000}
ORGANIZATIONS=${INVOICING_ORGANIZATIONS:-10}
PER_SUBSCRIPTION=$(( EVENTS / SUBSCRIPTIONS ))
api="$BENCH_URL/metering/api/v1"
log() { printf '[metering-invoicing] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
# Every session in UTC, so that month arithmetic in SQL matches the module's (UTC) periods.
export PGOPTIONS='-c TimeZone=UTC'
sql() { $BENCH_PSQL -tA -F '|' "$@"; }
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" | head -n 1; }
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
post() { curl -fsS -b "$jar" -c "$jar" -H 'Content-Type: application/json' -X POST "$api$1" -d "$2"; }

# --- catalog through the API ------------------------------------------------------------------------
log "creating $ORGANIZATIONS organizations with a meter and three plans each"
catalog=""
run=$(date +%s%N)
for o in $(seq 1 "$ORGANIZATIONS"); do
  rm -f "$jar"
  org=$(post /auth/signup "{\"email\":\"invoicing-$run-$o@example.com\",\"password\":\"bench-password-123\",\"organization_name\":\"Invoicing bench $o\"}" \
    | sed -n 's/.*"organization":{"id":"\([^"]*\)".*/\1/p')
  meter=$(post /features '{"name":"API Calls","lookup_key":"api_calls","type":"meter","meter_name":"api_calls","aggregation_type":"SUM","unit":"calls"}' | field meter_id)
  starter=$(post /plans '{"name":"Starter","lookup_id":"starter","type":"USAGE","billing_interval":"month","currency":"USD"}' | field id)
  post "/plans/$starter/charges" "{\"type\":\"USAGE\",\"meter_id\":\"$meter\",\"unit_price\":0.001,\"display_name\":\"API calls\"}" >/dev/null
  pro=$(post /plans '{"name":"Pro","lookup_id":"pro","type":"HYBRID","billing_interval":"month","currency":"USD"}' | field id)
  post "/plans/$pro/charges" '{"type":"FIXED","amount":49,"display_name":"Platform fee"}' >/dev/null
  post "/plans/$pro/charges" "{\"type\":\"USAGE\",\"meter_id\":\"$meter\",\"pricing_model\":\"graduated\",\"display_name\":\"API calls\",
    \"tiers\":[{\"up_to\":2000,\"unit_price\":0.002},{\"up_to\":5000,\"unit_price\":0.0015,\"flat_fee\":1},{\"up_to\":null,\"unit_price\":0.001,\"flat_fee\":2}]}" >/dev/null
  scale=$(post /plans '{"name":"Scale","lookup_id":"scale","type":"USAGE","billing_interval":"month","currency":"EUR"}' | field id)
  post "/plans/$scale/charges" "{\"type\":\"USAGE\",\"meter_id\":\"$meter\",\"pricing_model\":\"volume\",\"display_name\":\"API calls\",
    \"tiers\":[{\"up_to\":5000,\"unit_price\":0.0012},{\"up_to\":null,\"unit_price\":0.0009,\"flat_fee\":3}]}" >/dev/null
  [ -n "$org" ] && [ -n "$meter" ] && [ -n "$starter" ] && [ -n "$pro" ] && [ -n "$scale" ] || die "could not create organization $o through the API"
  catalog+="${catalog:+,}($o, '$org'::uuid, '$meter'::uuid, '$starter'::uuid, '$pro'::uuid, '$scale'::uuid)"
done

# --- customers, subscriptions and events in one transaction ------------------------------------------
log "seeding $SUBSCRIPTIONS customers and subscriptions with $PER_SUBSCRIPTION events each"
seed_started=$(date +%s.%N)
sql <<SQL >/dev/null
BEGIN;
CREATE TEMP TABLE catalog (n int, organization_id uuid, meter_id uuid, starter uuid, pro uuid, scale uuid) ON COMMIT DROP;
INSERT INTO catalog VALUES $catalog;
CREATE TEMP TABLE seed ON COMMIT DROP AS
SELECT s AS n, c.organization_id, c.meter_id, gen_random_uuid() AS customer_id, gen_random_uuid() AS subscription_id,
       CASE s % 3 WHEN 0 THEN c.starter WHEN 1 THEN c.pro ELSE c.scale END AS plan_id,
       date_trunc('month', now()) - interval '1 month' AS period_start, date_trunc('month', now()) AS period_end
FROM generate_series(0, $SUBSCRIPTIONS - 1) s JOIN catalog c ON c.n = s % $ORGANIZATIONS + 1;
INSERT INTO metering.customers (id, organization_id, name, email, external_id, created_at, updated_at)
SELECT customer_id, organization_id, 'Customer ' || n, 'billing+' || n || '@customer.example', 'cust-' || n, period_start, period_start FROM seed;
-- next_close_at stays empty until the seed is complete: the cursor is armed separately below.
INSERT INTO metering.subscriptions (id, organization_id, customer_id, plan_id, billing_interval, start_date, created_at, next_close_at)
SELECT subscription_id, organization_id, customer_id, plan_id, 'month', period_start, period_start, NULL FROM seed;
INSERT INTO metering.events (id, organization_id, meter_id, customer_id, payload_hash, quantity, "timestamp", received_at)
SELECT gen_random_uuid(), s.organization_id, s.meter_id, s.customer_id, '\x'::bytea, 1 + floor(random() * 100), t, t
FROM seed s, generate_series(1, $PER_SUBSCRIPTION) k,
     LATERAL (SELECT s.period_start + random() * (s.period_end - s.period_start) AS t) ts;
COMMIT;
ANALYZE metering.customers, metering.subscriptions, metering.events;
SQL
seed_seconds=$(awk -v a="$seed_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
seeded=$(sql -c "SELECT count(*) FROM metering.events e JOIN metering.subscriptions s ON s.customer_id = e.customer_id WHERE s.next_close_at IS NULL")
log "seeded $seeded events in ${seed_seconds}s"

# Polls "SELECT <done>, <seconds since the phase's first batch>" until done reaches the target.
wait_for() {
  local query=$1 target=$2 what=$3 deadline row
  deadline=$(( $(date +%s) + 150 ))
  until [ "$(sql -c "SELECT ($query) > 0" | head -n 1)" = t ]; do
    [ "$(date +%s)" -lt "$deadline" ] || die "no $what job firing within 150 s"
    sleep 0.5
  done
  deadline=$(( $(date +%s) + 1800 ))
  while :; do
    row=$(sql -c "$4")
    [ "${row%%|*}" -ge "$target" ] && { echo "${row#*|}"; return; }
    [ "$(date +%s)" -lt "$deadline" ] || die "$what did not finish within 30 minutes: $row"
    sleep 0.2
  done
}

# --- period close -------------------------------------------------------------------------------------
log "arming the period-close cursor; waiting for the period-close job"
sql -c "UPDATE metering.subscriptions SET next_close_at = start_date + interval '1 month' WHERE next_close_at IS NULL AND start_date = date_trunc('month', now()) - interval '1 month'" >/dev/null
close_seconds=$(wait_for "SELECT count(*) FROM metering.invoices" "$SUBSCRIPTIONS" "period-close" \
  "SELECT count(*), round(extract(epoch FROM clock_timestamp() - min(created_at))::numeric, 2) FROM metering.invoices")
log "closed $SUBSCRIPTIONS periods in ${close_seconds}s"
IFS='|' read -r drafts lines starter_mismatches <<<"$(sql -c "
  SELECT count(*), (SELECT count(*) FROM metering.invoice_lines),
         (SELECT count(*) FROM metering.invoices i JOIN metering.plans p ON p.id = i.plan_id AND p.lookup_id = 'starter'
          WHERE i.total <> round((SELECT sum(e.quantity) FROM metering.events e
                                  WHERE e.customer_id = i.customer_id AND e.\"timestamp\" >= i.period_start AND e.\"timestamp\" < i.period_end) * 0.001, 2))
  FROM metering.invoices WHERE status = 'DRAFT' AND closes_period")"
[ "$drafts" -eq "$SUBSCRIPTIONS" ] || die "expected $SUBSCRIPTIONS drafts, found $drafts"
[ "$starter_mismatches" -eq 0 ] || die "$starter_mismatches per-unit invoices differ from the usage priced in SQL"

# --- finalization -------------------------------------------------------------------------------------
log "moving the drafts past the 1 h grace period; waiting for the finalize job"
sql -c "UPDATE metering.invoices SET created_at = created_at - interval '1 hour', updated_at = updated_at - interval '1 hour' WHERE status = 'DRAFT'" >/dev/null
finalize_seconds=$(wait_for "SELECT count(*) FROM metering.invoices WHERE status = 'OPEN'" "$SUBSCRIPTIONS" "finalize" \
  "SELECT count(*) FILTER (WHERE status = 'OPEN'), round(extract(epoch FROM clock_timestamp() - min(issued_at))::numeric, 2) FROM metering.invoices")
log "finalized $SUBSCRIPTIONS invoices in ${finalize_seconds}s"
gaps=$(sql -c "SELECT count(*) FROM (SELECT organization_id, count(*) AS n, count(DISTINCT number) AS d,
                 max(substring(number FROM 5)::bigint) AS top, min(substring(number FROM 5)::bigint) AS bottom
               FROM metering.invoices WHERE status = 'OPEN' GROUP BY organization_id) g
               WHERE NOT (n = d AND bottom = 1 AND top = n)")
[ "$gaps" -eq 0 ] || die "$gaps organizations have gaps or repeats in their invoice numbers"
totals=$(sql -c "SELECT string_agg(currency || ' ' || amount, ', ' ORDER BY currency)
                 FROM (SELECT currency, round(sum(total), 2) AS amount FROM metering.invoices GROUP BY currency) t")

rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
cat <<MD
## Metering invoicing ($SUBSCRIPTIONS subscriptions, $seeded events)

$ORGANIZATIONS organizations; plans per-unit (USD), hybrid fixed + graduated (USD) and volume (EUR) in turn;
$PER_SUBSCRIPTION events per subscription in the period that ended. Seeded with set-based SQL in ${seed_seconds} s.
Each phase runs in the host's own scheduled job (batches of Metering:Invoices:BatchSize subscriptions) and is
timed from its first batch until its last commit.

| phase | invoices | lines | seconds | invoices/s |
|---|---:|---:|---:|---:|
| period close (usage aggregated, DRAFT created) | $drafts | $lines | $close_seconds | $(rate "$drafts" "$close_seconds") |
| finalization (recomputed, numbered, OPEN) | $SUBSCRIPTIONS | $lines | $finalize_seconds | $(rate "$SUBSCRIPTIONS" "$finalize_seconds") |

Checks: one invoice per subscription; every per-unit total equals its usage priced in SQL; numbers gap-free
per organization. Invoiced in all: $totals.
MD
