# shellcheck shell=bash
# Helpers sourced by the reseller-*.setup.sh scripts (not a scenario: it has no .lua of its own).
# Drives the system through the operator API only, as an operator would.

# admin METHOD PATH [JSON]: an operator request; prints the response body, fails on a non-2xx status.
reseller_admin() {
  curl -fsS -X "$1" "$BENCH_URL$2" -H "X-Admin-Key: $BENCH_ADMIN_KEY" -H 'Content-Type: application/json' ${3:+-d "$3"}
}

# field NAME JSON: the string value of "NAME" in a one-line JSON body.
reseller_field() {
  printf '%s' "$2" | sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"
}

# reseller_with_keys NAME KEYS: creates a reseller with KEYS live keys and a large live balance; prints
# "ID KEY1,KEY2,…". Many keys, because each key may make 100 requests a minute (the reference's limit).
reseller_with_keys() {
  local created id keys more
  created=$(reseller_admin POST /admin/resellers "{\"name\":\"$1\",\"email\":\"bench@example.com\"}")
  id=$(reseller_field id "$created")
  keys=$(reseller_field live_key "$created")
  reseller_admin POST "/admin/resellers/$id/topups" '{"amount_cents":100000000000,"mode":"live","note":"bench"}' > /dev/null
  more=$(reseller_api_keys "$id" $(($2 - 1))) || return 1
  printf '%s %s\n' "$id" "$keys${more:+,$more}"
}

# reseller_api_keys ID COUNT: COUNT new live keys of reseller ID, comma-separated. One curl makes them all on one
# connection (a process per key costs more than the request), so the thousands of keys a fast box needs take seconds.
# Fails unless every key was made.
reseller_api_keys() {
  local keys made
  if [ "$2" -le 0 ]; then echo; return; fi
  keys=$(seq 1 "$2" | sed "s|.*|url = \"$BENCH_URL/admin/resellers/$1/keys\"|" \
         | curl -sS --fail-early -f -X POST -H "X-Admin-Key: $BENCH_ADMIN_KEY" -H 'Content-Type: application/json' \
             -d '{"mode":"live"}' -w '\n' --config - \
         | sed -n 's/.*"key":"\([^"]*\)".*/\1/p' | paste -sd, -) || return 1
  made=$(printf '%s' "$keys" | tr ',' '\n' | grep -c .)
  [ "$made" -eq "$2" ] || { echo "made $made of $2 keys for reseller $1" >&2; return 1; }
  printf '%s\n' "$keys"
}

# reseller_keys_env NAME KEYS: the environment line that hands KEYS (comma-separated) to a scenario's Lua
# (bench/scenarios/lib/reseller-keys.lua): a file of one key per line in BENCH_WORK when bench/run.sh gives one
# (thousands of keys are more than the 128 KB one environment variable may hold), else RESELLER_KEYS.
reseller_keys_env() {
  if [ -n "${BENCH_WORK:-}" ]; then
    printf '%s\n' "$2" | tr ',' '\n' > "$BENCH_WORK/$1.keys"
    echo "RESELLER_KEYS_FILE=$BENCH_WORK/$1.keys"
  else
    echo "RESELLER_KEYS=$2"
  fi
}

# reseller_usage_dataset: the reseller-usage-* scenarios' data set, made once per bench database and then
# reused; prints the reseller's id. RESELLER_USAGE_RECORDS (default 10,000,000) usage records over the last
# 90 days for RESELLER_USAGE_PLANS (default 2,000) plans of one reseller, with the rollups the application
# keeps (hourly per plan, daily per reseller and product, per minute for the last hour) and the plans'
# bytes_used, computed from those very records in the same transaction: they agree as the ingest keeps them.
reseller_usage_dataset() {
  local id records=${RESELLER_USAGE_RECORDS:-10000000} plans=${RESELLER_USAGE_PLANS:-2000} key product
  id=$($BENCH_PSQL -tAc "SELECT reseller_id FROM reseller.plans WHERE upstream_reference = 'bench-residential-1'")
  if [ -n "$id" ]; then printf '%s\n' "$id"; return; fi

  read -r id key < <(reseller_with_keys "Bench usage" 1)
  [ -n "$id" ] || return 1
  # Four templates bought through the API (so every column is as a purchase makes it), cloned below.
  for product in residential mobile residential-lite pool1; do
    curl -fsS -X POST "$BENCH_URL/api/v1/plans" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
      -d "{\"product\":\"$product\",\"bandwidth_gb\":100000}" > /dev/null || return 1
  done
  echo "seeding $records usage records for $plans plans (reseller $id)" >&2
  # (Called in $(…), where set -e does not reach: every step says when it failed.)
  $BENCH_PSQL -v reseller="$id" -v records="$records" -v plans="$plans" <<'SQL' >&2 || return 1
\timing on
BEGIN;
SET LOCAL work_mem = '256MB';
SET LOCAL synchronous_commit = off;
INSERT INTO reseller.plans
SELECT (jsonb_populate_record(t, jsonb_build_object(
    'id', gen_random_uuid(), 'upstream_reference', 'bench-' || t.product || '-' || n, 'created_at', now() - interval '91 days'))).*
FROM reseller.plans t CROSS JOIN generate_series(1, (:plans / 4) - 1) AS n
WHERE t.reseller_id = :'reseller';

CREATE TEMP TABLE seed_plans ON COMMIT DROP AS
SELECT id, reseller_id, mode, product, (row_number() OVER (ORDER BY id)) - 1 AS k FROM reseller.plans WHERE reseller_id = :'reseller';
-- Evenly over the last 90 days, each plan in turn; 0.1–100 MB a record.
CREATE TEMP TABLE seed_records ON COMMIT DROP AS
SELECT p.id AS plan_id, 'bench-' || g AS record_id,
       now() - interval '1 minute' - (interval '90 days' * g / :records) AS at,
       1000000 + (g::bigint * 7919) % 99000000 AS bytes
FROM generate_series(1, :records) AS g
JOIN seed_plans p ON p.k = g % (SELECT count(*) FROM seed_plans);

INSERT INTO reseller.usage_records (plan_id, record_id, at, bytes, accepted_bytes, received_at)
SELECT plan_id, record_id, at, bytes, bytes, at FROM seed_records;
INSERT INTO reseller.usage_hourly (plan_id, hour, bytes, overage_bytes, records)
SELECT plan_id, date_trunc('hour', at, 'UTC'), sum(bytes), 0, count(*) FROM seed_records GROUP BY 1, 2;
INSERT INTO reseller.usage_plan_daily (plan_id, day, bytes, overage_bytes, records)
SELECT plan_id, date_trunc('day', at, 'UTC'), sum(bytes), 0, count(*) FROM seed_records GROUP BY 1, 2;
INSERT INTO reseller.usage_daily (reseller_id, mode, product, day, bytes, overage_bytes, records)
SELECT p.reseller_id, p.mode, p.product, date_trunc('day', r.at, 'UTC'), sum(r.bytes), 0, count(*)
FROM seed_records r JOIN seed_plans p ON p.id = r.plan_id GROUP BY 1, 2, 3, 4;
INSERT INTO reseller.usage_minutely (plan_id, minute, reseller_id, mode, bytes, overage_bytes, records)
SELECT r.plan_id, date_trunc('minute', r.at, 'UTC'), p.reseller_id, p.mode, sum(r.bytes), 0, count(*)
FROM seed_records r JOIN seed_plans p ON p.id = r.plan_id WHERE r.at >= now() - interval '60 minutes' GROUP BY 1, 2, 3, 4;
UPDATE reseller.plans p SET bytes_used = p.bytes_used + s.bytes
FROM (SELECT plan_id, sum(bytes) AS bytes FROM seed_records GROUP BY 1) s WHERE p.id = s.plan_id;

-- The rollups must agree with the raw records, as the ingest keeps them.
DO $$
BEGIN
  IF (SELECT sum(accepted_bytes) FROM reseller.usage_records) IS DISTINCT FROM (SELECT sum(bytes) FROM reseller.usage_hourly)
     OR (SELECT sum(bytes) FROM reseller.usage_hourly) IS DISTINCT FROM (SELECT sum(bytes) FROM reseller.usage_daily)
     OR (SELECT sum(bytes) FROM reseller.usage_hourly) IS DISTINCT FROM (SELECT sum(bytes) FROM reseller.usage_plan_daily)
     OR (SELECT sum(bytes_used) FROM reseller.plans) IS DISTINCT FROM (SELECT sum(accepted_bytes) FROM reseller.usage_records) THEN
    RAISE EXCEPTION 'seeded rollups disagree with the raw records';
  END IF;
END $$;
COMMIT;
VACUUM ANALYZE reseller.plans, reseller.usage_records, reseller.usage_hourly, reseller.usage_plan_daily, reseller.usage_daily, reseller.usage_minutely;
-- The seeding and the vacuum wrote gigabytes of WAL: checkpoint now, so that the scenario measured next (the usage
-- report) starts after a finished checkpoint in every run, instead of during the checkpoints that WAL asked for.
CHECKPOINT;
SQL
  printf '%s\n' "$id"
}
