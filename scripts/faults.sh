#!/usr/bin/env bash
# The fault suite: real faults against a real host process, each proving that nothing a client saw
# acknowledged is lost or done twice, and reporting the HTTP codes clients saw and how long errors lasted.
#
#   1. sdk-kill        kill -9 of the host during SDK ingestion (POST /metering/api/v1/sdk/track)
#   2. plans-kill      kill -9 during a flood of plan purchases by one reseller (POST /api/v1/plans)
#   3. close-kill      kill -9 during the invoice period close (Hangfire job metering-period-close)
#   4. postgres-restart PostgreSQL stopped (immediate) and started again under SDK load
#   5. sigterm         SIGTERM of the host under SDK load
#
# Everything runs on this machine against 127.0.0.1 only: a PostgreSQL cluster of the suite's own
# (FAULTS_PG_PORT, default 54371; data in .data/faults-postgres; stopped at the end, since scenario 4
# stops and starts it), a fresh database fluxsuite_faults (dropped and recreated each run), the host
# built in Release and run as a process on FAULTS_PORT (default 5095), credentials made through the API
# (the bench's set-up scripts). The load is bash + curl: FAULTS_WORKERS (default 4) sequential clients.
# Every loop is bounded in count and time; FAULTS_BUDGET (default 240 s) bounds the scenarios together.
# Work files and logs: .data/faults/. Ends with "faults: N passed, N failed"; exits 1 on any failure.
#
# Settings: FAULTS_ONLY (an extended regular expression: run only matching scenarios, e.g.
# "postgres|sigterm"), FAULTS_PORT, FAULTS_PG_PORT,
# FAULTS_WORKERS, FAULTS_BUDGET, FAULTS_SUBSCRIPTIONS (scenario 3, default 3000).
set -euo pipefail
FLUX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The suite's own cluster, never the shared one of run.sh/test.sh: scenario 4 stops it.
export FLUXSUITE_PG_PORT=${FAULTS_PG_PORT:-54371}
export FLUXSUITE_PG_DATA="$FLUX_ROOT/.data/faults-postgres"
# shellcheck source=lib/postgres.sh
source "$FLUX_ROOT/scripts/lib/postgres.sh"
cd "$FLUX_ROOT"

PORT=${FAULTS_PORT:-5095}
URL="http://127.0.0.1:$PORT"
WORKERS=${FAULTS_WORKERS:-4}
BUDGET=${FAULTS_BUDGET:-240}
ONLY=${FAULTS_ONLY:-}
SUBSCRIPTIONS=${FAULTS_SUBSCRIPTIONS:-3000}
DB=fluxsuite_faults
WORK="$FLUX_ROOT/.data/faults"
RUN=$(date +%s)
[ "$FLUXSUITE_PG_PORT" != 54329 ] || flux_die "FAULTS_PG_PORT must not be 54329, the shared cluster's port: scenario 4 stops the suite's cluster"

log() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
now() { printf '%s' "$EPOCHREALTIME"; }
# Seconds between two $EPOCHREALTIME values, one decimal.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

if ! command -v jq >/dev/null 2>&1; then
  log "installing jq (reads the host's log)"
  if flux_is_root; then apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null;
  else sudo -n apt-get install -y -qq jq >/dev/null; fi
fi
rm -rf "$WORK/runs"
mkdir -p "$WORK/runs"
: > "$WORK/host.log"

# --- PostgreSQL, database, host build ----------------------------------------------------------------
flux_pg_ensure
PG_BIN=$(flux_pg_bin)
pg_running() { flux_as_owner "$PG_BIN/pg_ctl" -D "$FLUX_PG_DATA" status >/dev/null 2>&1; }
flux_psql -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
flux_pg_create_database "$DB"
CONNECTION_STRING=$(flux_pg_connection_string "$DB")
ADMIN_KEY=$(flux_random_secret 40)
JWT_KEY=$(flux_random_secret 64)
PSQL="env PGPASSWORD=$(flux_pg_password) PGOPTIONS=-cTimeZone=UTC $PG_BIN/psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $FLUX_PG_PORT -U $FLUX_PG_USER -d $DB"
sql() { $PSQL -tA -F '|' "$@"; }
# For the bench's set-up scripts.
export BENCH_URL=$URL BENCH_ADMIN_KEY=$ADMIN_KEY

log "building the host (Release)"
dotnet publish src/FluxSuite.Host/FluxSuite.Host.csproj -c Release -o "$WORK/host" -v quiet -nologo >/dev/null

# --- the host as a process ---------------------------------------------------------------------------
# The dotnet process's id is in host.pid; its exit status lands in host.exit when it ends (a wrapper
# subshell waits for it), so any scenario can kill it and read how it ended.
# Settings for the faults: the idempotency lease of a crashed purchase and Hangfire's invisibility timeout
# short enough to be taken over within the run, and the period close firing every second.
host_start() {
  rm -f "$WORK/host.exit" "$WORK/host.pid"
  (
    env ConnectionStrings__Default="$CONNECTION_STRING" Admin__ApiKey="$ADMIN_KEY" \
      Metering__Jwt__SigningKey="$JWT_KEY" ASPNETCORE_ENVIRONMENT=Production \
      Serilog__MinimumLevel__Default=Warning Reseller__IdempotencyLease=00:00:05 \
      Scheduler__InvisibilityTimeout=00:00:05 'Scheduler__Jobs__metering-period-close=* * * * * *' \
      Scheduler__SchedulePollingInterval=00:00:01 Metering__Invoices__BatchSize=25 \
      dotnet "$WORK/host/FluxSuite.Host.dll" --urls "$URL" --contentRoot "$WORK/host" >> "$WORK/host.log" 2>&1 &
    echo $! > "$WORK/host.pid"
    # (The shell's own "Killed" notice is not news here: host.exit says how the process ended.)
    exec 2>/dev/null
    set +e
    wait $!
    echo $? > "$WORK/host.exit"
  ) &
  for _ in $(seq 1 50); do [ -s "$WORK/host.pid" ] && break; sleep 0.1; done
  host_wait_ready
}
host_pid() { cat "$WORK/host.pid"; }
host_alive() { [ ! -e "$WORK/host.exit" ]; }
# Waits (at most 60 s) until readiness answers 200.
host_wait_ready() {
  local deadline=$((SECONDS + 60))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$URL/health/ready")" = 200 ] && return 0
    host_alive || { tail -n 30 "$WORK/host.log" >&2; echo "the host exited while starting" >&2; return 1; }
    sleep 0.2
  done
  tail -n 30 "$WORK/host.log" >&2
  echo "the host was not ready within 60 s" >&2
  return 1
}
# Waits (at most $1 s) for the host process to end; prints its exit status.
host_wait_exit() {
  local deadline=$((SECONDS + $1))
  while host_alive && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  host_alive && return 1
  for _ in $(seq 1 20); do [ -s "$WORK/host.exit" ] && break; sleep 0.05; done
  cat "$WORK/host.exit"
}
host_kill9() { kill -9 "$(host_pid)"; host_wait_exit 10 >/dev/null; }
cleanup() {
  if [ -s "$WORK/host.pid" ] && host_alive; then kill "$(host_pid)" 2>/dev/null || true; host_wait_exit 30 >/dev/null || true; fi
  if pg_running; then flux_as_owner "$PG_BIN/pg_ctl" -D "$FLUX_PG_DATA" -m fast -w stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT

log "starting the host on $URL"
host_start

# Load clients, answer logs and storage checks: scripts/lib/load.sh.
source "$FLUX_ROOT/scripts/lib/load.sh"

fail() { echo "FAIL: $*" >&2; printf '%s\n' "$*" > "$WORK/runs/fail"; exit 1; }
RESULTS=()

# --- 1. kill -9 during SDK ingestion -----------------------------------------------------------------
scenario_sdk_kill() {
  local out="$WORK/runs/sdk-kill" killed_at back_at
  load_start sdk_worker "s1-$RUN" "$out"
  load_until_answers "$out" 202 200 20
  killed_at=$(now)
  host_kill9
  log "sdk-kill: host killed; restarting"
  host_start
  back_at=$(now)
  load_until_answers "$out" 202 200 20
  load_stop "$out"
  retry_unacknowledged "$out" 202 sdk_send
  local dups
  dups=$(grep -c '"duplicate":true' "$out.retry-bodies" 2>/dev/null || true)
  local account
  account=$(sdk_check_stored "s1-$RUN" "$out") || fail "sdk-kill: $account"
  grep -q ' 500 ' "$out" && fail "sdk-kill: a 500 was answered ($(codes "$out"))"
  SUMMARY="codes $(codes "$out"); host down and restarted in $(elapsed "$killed_at" "$back_at") s; errors lasted $(error_window "$out" 202) s; $account (${dups:-0} recognised as duplicates)"
}


scenario_plans_kill() {
  local out="$WORK/runs/plans-kill" reseller keys killed_at back_at
  # shellcheck source=../bench/scenarios/reseller-common.setup.sh
  source bench/scenarios/reseller-common.setup.sh
  # 24 keys: each may make 100 requests a minute, and the flood stays under that per key.
  read -r reseller keys < <(reseller_with_keys "Faults $RUN" 24)
  [ -n "$reseller" ] || fail "plans-kill: could not create the reseller through the API"
  IFS=, read -r -a PLAN_KEYS <<< "$keys"
  load_start plan_worker "p2-$RUN" "$out"
  load_until_answers "$out" 201 150 30
  killed_at=$(now)
  host_kill9
  log "plans-kill: host killed; restarting"
  host_start
  back_at=$(now)
  load_until_answers "$out" 201 100 30
  load_stop "$out"
  plans_check_stored plans-kill "$out" "$reseller"
  SUMMARY="codes $(codes "$out"); host down and restarted in $(elapsed "$killed_at" "$back_at") s; errors lasted $(error_window "$out" 201) s; $PLANS_ACCOUNT"
}

# --- 3. kill -9 during the invoice period close -----------------------------------------------------------
scenario_close_kill() {
  local jar="$WORK/runs/close.jar" api="$URL/metering/api/v1" org meter plan
  rm -f "$jar"
  post() { curl -fsS -b "$jar" -c "$jar" -H 'Content-Type: application/json' -X POST "$api$1" -d "$2"; }
  field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" | sed -n 1p; }
  org=$(post /auth/signup "{\"email\":\"faults-$RUN@example.com\",\"password\":\"faults-password-123\",\"organization_name\":\"Faults $RUN\"}" \
    | sed -n 's/.*"organization":{"id":"\([^"]*\)".*/\1/p')
  meter=$(post /features '{"name":"API Calls","lookup_key":"api_calls","type":"meter","meter_name":"api_calls","aggregation_type":"SUM","unit":"calls"}' | field meter_id)
  plan=$(post /plans '{"name":"Starter","lookup_id":"starter","type":"USAGE","billing_interval":"month","currency":"USD"}' | field id)
  post "/plans/$plan/charges" "{\"type\":\"USAGE\",\"meter_id\":\"$meter\",\"unit_price\":0.001,\"display_name\":\"API calls\"}" >/dev/null
  [ -n "$org" ] && [ -n "$meter" ] && [ -n "$plan" ] || fail "close-kill: could not create the organization, meter and plan through the API"
  # Subscriptions started on the 1st of last month, so one period has ended; 10 events each in it
  # (as bench/scenarios/metering-invoicing.sh seeds them). The cursor is armed once all is in.
  sql <<SQL >/dev/null
BEGIN;
CREATE TEMP TABLE seed ON COMMIT DROP AS
SELECT s AS n, gen_random_uuid() AS customer_id, gen_random_uuid() AS subscription_id,
       date_trunc('month', now()) - interval '1 month' AS period_start, date_trunc('month', now()) AS period_end
FROM generate_series(1, $SUBSCRIPTIONS) s;
INSERT INTO metering.customers (id, organization_id, name, email, external_id, created_at, updated_at)
SELECT customer_id, '$org', 'Customer ' || n, 'billing+' || n || '@customer.example', 'cust-' || n, period_start, period_start FROM seed;
INSERT INTO metering.subscriptions (id, organization_id, customer_id, plan_id, billing_interval, start_date, created_at, next_close_at)
SELECT subscription_id, '$org', customer_id, '$plan', 'month', period_start, period_start, NULL FROM seed;
INSERT INTO metering.events (id, organization_id, meter_id, customer_id, payload_hash, quantity, "timestamp", received_at)
SELECT gen_random_uuid(), '$org', '$meter', s.customer_id, '\x'::bytea, 1 + floor(random() * 100), t, t
FROM seed s, generate_series(1, 10) k,
     LATERAL (SELECT s.period_start + random() * (s.period_end - s.period_start) AS t) ts;
COMMIT;
ANALYZE metering.customers, metering.subscriptions, metering.events;
SQL
  local started drafted killed_at back_at done_at deadline
  sql -c "UPDATE metering.subscriptions SET next_close_at = start_date + interval '1 month' WHERE organization_id = '$org'" >/dev/null
  started=$(now)
  # The job fires every second: kill the host once some drafts are committed and most are not.
  deadline=$((SECONDS + 30))
  drafted=0
  while [ $SECONDS -lt $deadline ]; do
    drafted=$(sql -c "SELECT count(*) FROM metering.invoices WHERE organization_id = '$org'")
    [ "$drafted" -gt 0 ] && break
    sleep 0.05
  done
  [ "$drafted" -gt 0 ] || fail "close-kill: the period-close job drafted nothing within 30 s"
  killed_at=$(now)
  host_kill9
  drafted=$(sql -c "SELECT count(*) FROM metering.invoices WHERE organization_id = '$org'")
  [ "$drafted" -lt "$SUBSCRIPTIONS" ] || fail "close-kill: all $SUBSCRIPTIONS periods were closed before the kill (raise FAULTS_SUBSCRIPTIONS)"
  log "close-kill: host killed with $drafted of $SUBSCRIPTIONS drafts committed; restarting"
  host_start
  back_at=$(now)
  deadline=$((SECONDS + 60))
  local count
  while [ $SECONDS -lt $deadline ]; do
    count=$(sql -c "SELECT count(*) FROM metering.invoices WHERE organization_id = '$org'")
    [ "$count" -ge "$SUBSCRIPTIONS" ] && break
    sleep 0.2
  done
  done_at=$(now)
  # Each subscription's period exactly once, with its lines, its total the period's usage priced once,
  # and the cursor moved past it.
  local once missing total_wrong no_lines cursor
  IFS='|' read -r once missing total_wrong no_lines cursor <<< "$(sql -c "
    WITH s AS (SELECT id, customer_id, start_date FROM metering.subscriptions WHERE organization_id = '$org'),
         i AS (SELECT subscription_id, count(*) AS n FROM metering.invoices WHERE organization_id = '$org' GROUP BY 1)
    SELECT (SELECT count(*) FROM s JOIN i ON i.subscription_id = s.id WHERE i.n = 1),
           (SELECT count(*) FROM s LEFT JOIN i ON i.subscription_id = s.id WHERE i.n IS NULL),
           (SELECT count(*) FROM metering.invoices v WHERE v.organization_id = '$org'
              AND v.total <> round((SELECT sum(e.quantity) FROM metering.events e WHERE e.customer_id = v.customer_id
                                    AND e.\"timestamp\" >= v.period_start AND e.\"timestamp\" < v.period_end) * 0.001, 2)),
           (SELECT count(*) FROM metering.invoices v WHERE v.organization_id = '$org'
              AND NOT EXISTS (SELECT 1 FROM metering.invoice_lines l WHERE l.invoice_id = v.id)),
           (SELECT count(*) FROM metering.subscriptions WHERE organization_id = '$org' AND next_close_at <= now())")"
  [ "$missing" -eq 0 ] || fail "close-kill: $missing subscriptions without an invoice 60 s after the restart"
  [ "$once" -eq "$SUBSCRIPTIONS" ] || fail "close-kill: only $once of $SUBSCRIPTIONS subscriptions invoiced exactly once"
  [ "$total_wrong" -eq 0 ] || fail "close-kill: $total_wrong invoice totals differ from the period's usage priced once"
  [ "$no_lines" -eq 0 ] || fail "close-kill: $no_lines invoices without lines"
  [ "$cursor" -eq 0 ] || fail "close-kill: $cursor subscriptions still due"
  SUMMARY="$SUBSCRIPTIONS subscriptions; killed $(elapsed "$started" "$killed_at") s after the cursor was armed with $drafted drafts committed; restarted in $(elapsed "$killed_at" "$back_at") s; all closed $(elapsed "$back_at" "$done_at") s later; each period invoiced exactly once, totals = usage priced once, every invoice with its lines, no cursor left due"
}

# --- 4. PostgreSQL stopped and started under SDK load ----------------------------------------------------
scenario_postgres_restart() {
  local out="$WORK/runs/postgres-restart" down_at up_at ready_at log_from
  log_from=$(($(wc -l < "$WORK/host.log") + 1))
  load_start sdk_worker "s4-$RUN" "$out"
  load_until_answers "$out" 202 200 20
  down_at=$(now)
  flux_as_owner "$PG_BIN/pg_ctl" -D "$FLUX_PG_DATA" -m immediate -w stop >/dev/null
  log "postgres-restart: PostgreSQL stopped (immediate); starting it in 3 s"
  sleep 3
  flux_pg_start "$PG_BIN"
  up_at=$(now)
  local deadline=$((SECONDS + 30)) ready=""
  while [ $SECONDS -lt $deadline ]; do
    [ "$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$URL/health/ready")" = 200 ] && { ready=1; break; }
    sleep 0.1
  done
  ready_at=$(now)
  [ -n "$ready" ] || { load_stop "$out"; fail "postgres-restart: readiness not 200 within 30 s of PostgreSQL's start"; }
  load_until_answers "$out" 202 200 20
  load_stop "$out"
  local bad no_retry_after late
  bad=$(awk '$2 != 202 && $2 != 503' "$out" | wc -l)
  no_retry_after=$(awk '$2 == 503 && ($3 == "-" || $4 != "SERVICE_UNAVAILABLE")' "$out" | wc -l)
  # Every request sent once readiness was back is answered 202: no broken pooled connection surfaces.
  late=$(awk -v t="$ready_at" '$5 >= t && $2 != 202' "$out" | wc -l)
  [ "$bad" -eq 0 ] || fail "postgres-restart: answers other than 202 and 503: $(codes "$out")"
  [ "$no_retry_after" -eq 0 ] || fail "postgres-restart: $no_retry_after 503 answers without Retry-After or SERVICE_UNAVAILABLE"
  [ "$late" -eq 0 ] || fail "postgres-restart: $late requests failed after readiness was back"
  any '$2 == 503' "$out" || fail "postgres-restart: no request met the outage (no 503)"
  # The host's log (CLEF) over the scenario: the outage is one warning; no error carries an exception
  # and no request's line does. Hangfire's own pollers and jobs that meet it say so at Warning, in one
  # line each without the stack trace (an older build's warnings with one are counted and reported).
  local warnings exceptions background
  warnings=$(tail -n +"$log_from" "$WORK/host.log" | jq -R -c 'fromjson? | select(."@mt" // "" | test("database is unreachable"))' | wc -l)
  exceptions=$(tail -n +"$log_from" "$WORK/host.log" | jq -R -c 'fromjson? | select(has("@x") and (."@l" == "Error" or ."@l" == "Fatal" or has("RequestPath")))' | wc -l)
  background=$(tail -n +"$log_from" "$WORK/host.log" | jq -R -c 'fromjson? | select(has("@x") and ."@l" == "Warning" and (has("RequestPath") | not))' | wc -l)
  [ "$warnings" -eq 1 ] || fail "postgres-restart: the outage was logged $warnings times, not once"
  [ "$exceptions" -eq 0 ] || fail "postgres-restart: $exceptions errors or request lines with an exception logged during the outage"
  retry_unacknowledged "$out" 202 sdk_send
  local account dups
  account=$(sdk_check_stored "s4-$RUN" "$out") || fail "postgres-restart: $account"
  dups=$(grep -c '"duplicate":true' "$out.retry-bodies" 2>/dev/null || true)
  SUMMARY="codes $(codes "$out") (every 503 with Retry-After $(awk '$2 == 503 { print $3 }' "$out" | sort -u | paste -sd/ -) and SERVICE_UNAVAILABLE); PostgreSQL down $(elapsed "$down_at" "$up_at") s, readiness 200 again $(elapsed "$up_at" "$ready_at") s after its start; errors lasted $(error_window "$out" 202) s; none after readiness was back; the outage logged as one warning, no error or request line with an exception ($background retry warnings of Hangfire's pollers); $account (${dups:-0} recognised as duplicates)"
}

# --- 5. SIGTERM under SDK load -------------------------------------------------------------------------
scenario_sigterm() {
  local out="$WORK/runs/sigterm" ready="$WORK/runs/sigterm.ready" term_at exit_status exited_at
  load_start sdk_worker "s5-$RUN" "$out"
  load_until_answers "$out" 202 200 20
  : > "$ready"
  # Readiness polled every 0.05 s until nothing answers (at most 60 s).
  (
    for _ in $(seq 1 1200); do
      t=$EPOCHREALTIME
      c=$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$URL/health/ready" || true)
      echo "$t $c" >> "$ready"
      [ "$c" = 000 ] && break
      sleep 0.05
    done
  ) &
  local poller=$!
  sleep 0.3
  term_at=$(now)
  kill -TERM "$(host_pid)"
  exit_status=$(host_wait_exit 60) || { wait "$poller"; load_stop "$out"; fail "sigterm: the host did not exit within 60 s"; }
  exited_at=$(now)
  wait "$poller"
  log "sigterm: host exited ($exit_status); restarting"
  host_start
  load_until_answers "$out" 202 100 20
  load_stop "$out"
  [ "$exit_status" = 0 ] || fail "sigterm: the host exited with status $exit_status"
  local ready_503 first_refused served_after bad
  ready_503=$(awk -v t="$term_at" '$1 >= t && $2 == 503 { print $1; exit }' "$ready")
  [ -n "$ready_503" ] || fail "sigterm: readiness never answered 503 after SIGTERM"
  first_refused=$(awk -v t="$term_at" '$5 >= t && $2 != 202 && (first == "" || $5 < first) { first = $5 } END { print first }' "$out")
  # Readiness first: no client request failed before readiness said 503.
  if [ -n "$first_refused" ]; then
    awk -v a="$ready_503" -v b="$first_refused" 'BEGIN { exit !(a <= b) }' || fail "sigterm: a request failed before readiness turned 503"
  fi
  served_after=$(awk -v t="$ready_503" '$5 >= t && $2 == 202' "$out" | wc -l)
  bad=$(awk '$2 != 202 && $2 != 503 && $2 != 000' "$out" | wc -l)
  [ "$bad" -eq 0 ] || fail "sigterm: unexpected answers: $(codes "$out")"
  [ "$served_after" -gt 0 ] || fail "sigterm: no request was served while draining"
  retry_unacknowledged "$out" 202 sdk_send
  local account dups
  account=$(sdk_check_stored "s5-$RUN" "$out") || fail "sigterm: $account"
  dups=$(grep -c '"duplicate":true' "$out.retry-bodies" 2>/dev/null || true)
  SUMMARY="codes $(codes "$out"); readiness 503 $(elapsed "$term_at" "$ready_503") s after SIGTERM, $served_after requests still served (202) after that; exit status 0 $(elapsed "$term_at" "$exited_at") s after SIGTERM; errors lasted $(error_window "$out" 202) s (until the restart); $account (${dups:-0} recognised as duplicates)"
}

# --- run ------------------------------------------------------------------------------------------------
sdk_setup
SUITE_START=$SECONDS
PASSED=0
FAILED=0
run_scenario() {
  local name=$1 fn=$2 started=$SECONDS rc
  if [ -n "$ONLY" ] && ! [[ "$name" =~ $ONLY ]]; then return; fi
  if [ $((SECONDS - SUITE_START)) -ge "$BUDGET" ]; then
    echo "FAIL $name: not run, the budget of ${BUDGET} s is spent"
    FAILED=$((FAILED + 1)); return
  fi
  log "scenario $name"
  rm -f "$WORK/runs/fail"
  set +e
  (
    set -e
    # Whatever way the scenario ends, its load clients stop.
    trap '[ -n "${LOAD_OUT:-}" ] && touch "$LOAD_OUT.stop" && wait "${LOAD_PIDS[@]}"' EXIT
    LOAD_OUT="" SUMMARY=""
    "$fn"
    printf '%s\n' "$SUMMARY" > "$WORK/runs/$name.summary"
  ) 2> >(tee "$WORK/runs/$name.err" >&2)
  rc=$?
  set -e
  sleep 0.2
  if [ $rc -eq 0 ]; then
    PASSED=$((PASSED + 1))
    echo "PASS $name ($((SECONDS - started)) s): $(cat "$WORK/runs/$name.summary")"
  else
    FAILED=$((FAILED + 1))
    echo "FAIL $name ($((SECONDS - started)) s): $(cat "$WORK/runs/fail" 2>/dev/null || tail -n 3 "$WORK/runs/$name.err" | paste -sd' ' -)"
    # A scenario that failed may have left the host down: the next one needs it.
    if ! host_alive || [ "$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$URL/health/ready")" != 200 ]; then
      pg_running || flux_pg_start "$PG_BIN"
      host_alive && { kill -9 "$(host_pid)"; host_wait_exit 10 >/dev/null || true; }
      host_start || true
    fi
  fi
}
run_scenario sdk-kill scenario_sdk_kill
run_scenario plans-kill scenario_plans_kill
run_scenario close-kill scenario_close_kill
run_scenario postgres-restart scenario_postgres_restart
run_scenario sigterm scenario_sigterm
echo "scenarios took $((SECONDS - SUITE_START)) s (budget ${BUDGET} s)"
echo "faults: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
