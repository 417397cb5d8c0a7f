#!/usr/bin/env bash
# Proof that the cluster of scripts/cluster.sh (nginx -> N hosts -> PgBouncer -> PostgreSQL) can be
# trusted, on this machine, against 127.0.0.1 only. Ends with one summary line ("cluster-proof: N passed,
# N failed") and writes the report to bench/results/cluster-<date>.md.
#
#   1. fault    Through nginx, for PROOF_DURATION s (default 80, at least 60): wrk (SDK events and directory
#               reads) plus accounting clients (bash + curl, every answer logged: SDK events, keyed plan
#               purchases, listing PATCHes). One host is killed with kill -9 at PROOF_KILL_AT s and started
#               again at PROOF_RESTART_AT s. Then: every acknowledged SDK event stored exactly once, every
#               acknowledged purchase in the ledger and balance = sum of the ledger, every acknowledged
#               PATCH in the listing's history and the listing holding the last one. Reports the codes
#               clients saw, the error rate and how long clients saw errors; Hangfire's server list is
#               polled every second (N, N-1 once the dead server times out, N again after the restart).
#   2. jobs     Every recurring job fired once per occurrence across the cluster (Hangfire's jobs carry
#               the recurring job id and the occurrence time; no pair twice), and which hosts ran them.
#   3. ratelimit One fresh reseller key, 150 requests through nginx (round-robin over every host): exactly
#               100 answered 200, 50 answered 429.
#   4. throughput The main scenarios with wrk through nginx with 3, 2 and 1 hosts, and against one host
#               directly (the cost of the extra hop), with CPU time per request of the hosts, nginx,
#               PgBouncer and PostgreSQL (from /proc, so the other work on the machine is not counted).
#
# It starts its own cluster through scripts/lib/cluster.sh, on database fluxsuite_proof (dropped and
# made again) and stops it at the end. The ports are the cluster's settings (FLUXSUITE_CLUSTER_PORT,
# FLUXSUITE_CLUSTER_HOST_PORT, FLUXSUITE_PGBOUNCER_PORT, FLUXSUITE_PG_PORT/FLUXSUITE_PG_DATA); it refuses
# to start while a cluster of this checkout is running. Work files: .data/cluster-proof/.
#
# Settings: PROOF_HOSTS (3), PROOF_DURATION (80), PROOF_KILL_AT (20), PROOF_RESTART_AT (50),
# PROOF_WORKERS (accounting clients per kind, 2), PROOF_WRK_CONNECTIONS (per wrk, 4),
# PROOF_BENCH_DURATION (seconds per throughput run, 10), PROOF_BENCH_CONNECTIONS (16),
# PROOF_ONLY (an extended regular expression over the part names above).
set -euo pipefail
FLUX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export FLUXSUITE_CLUSTER_DB=fluxsuite_proof
export FLUXSUITE_CLUSTER_HOSTS=${PROOF_HOSTS:-3}
# shellcheck source=../scripts/lib/postgres.sh
source "$FLUX_ROOT/scripts/lib/postgres.sh"
# shellcheck source=../scripts/lib/cluster.sh
source "$FLUX_ROOT/scripts/lib/cluster.sh"
cd "$FLUX_ROOT"

HOSTS=$FLUX_CLUSTER_HOSTS
DURATION=${PROOF_DURATION:-80}
KILL_AT=${PROOF_KILL_AT:-20}
RESTART_AT=${PROOF_RESTART_AT:-50}
WORKERS=${PROOF_WORKERS:-2}
WRK_CONNECTIONS=${PROOF_WRK_CONNECTIONS:-4}
BENCH_DURATION=${PROOF_BENCH_DURATION:-10}
BENCH_CONNECTIONS=${PROOF_BENCH_CONNECTIONS:-16}
ONLY=${PROOF_ONLY:-}
URL=$FLUX_CLUSTER_URL
WORK="$FLUX_DATA_DIR/cluster-proof"
REPORT="$FLUX_ROOT/bench/results/cluster-$(date -u +%Y-%m-%d).md"
RUN=$(date +%s)
VICTIM=2
[ "$HOSTS" -ge 2 ] || flux_die "PROOF_HOSTS must be 2 or more (one is killed)"
[ "$DURATION" -ge 60 ] || flux_die "PROOF_DURATION must be at least 60 s"
[ "$KILL_AT" -lt "$RESTART_AT" ] && [ "$RESTART_AT" -lt "$DURATION" ] || flux_die "need PROOF_KILL_AT < PROOF_RESTART_AT < PROOF_DURATION"
if flux_pid_alive "$FLUX_CLUSTER_DIR/nginx/nginx.pid" || compgen -G "$FLUX_CLUSTER_DIR/host*.pid" >/dev/null; then
  flux_die "a cluster of this checkout is running (scripts/cluster.sh status); stop it first: scripts/cluster.sh stop"
fi

log() { flux_log "$@"; }
now() { printf '%s' "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
rm -rf "$WORK"
mkdir -p "$WORK/runs" "$(dirname "$REPORT")"

flux_cluster_install
command -v wrk >/dev/null 2>&1 || flux_apt_install wrk wrk
command -v jq >/dev/null 2>&1 || flux_apt_install jq jq

# --- the cluster ---------------------------------------------------------------------------------------
# Settings that make the faults observable within the run: a purchase claim left by the killed host can be
# taken over by the client's retry after 5 s; a dead Hangfire server leaves the list 15 s after its last
# heartbeat (every 2 s); one recurring job fires every second, so "once per firing" is seen many times.
export Serilog__MinimumLevel__Default=Warning Reseller__IdempotencyLease=00:00:05 \
  Scheduler__HeartbeatInterval=00:00:02 Scheduler__ServerTimeout=00:00:15 Scheduler__InvisibilityTimeout=00:00:10 \
  Scheduler__SchedulePollingInterval=00:00:01
FLUX_CLUSTER_HOST_ENV=('Scheduler__Jobs__reseller-plan-expiry=* * * * * *')
export Admin__ApiKey Metering__Jwt__SigningKey
Admin__ApiKey=$(flux_random_secret 40)
Metering__Jwt__SigningKey=$(flux_random_secret 64)
cleanup() {
  # The load clients and the poller stop at their stop files (wrk at its duration), then the cluster.
  touch "$WORK/servers.stop" "$WORK/runs/sdk.stop" "$WORK/runs/plans.stop" "$WORK/runs/patch.stop" 2>/dev/null || true
  flux_cluster_stop || true
}
trap cleanup EXIT
trap 'exit 143' TERM INT

rm -f "$FLUX_CLUSTER_DIR"/host*.log "$FLUX_CLUSTER_DIR/nginx/access.log" "$FLUX_CLUSTER_DIR/nginx/error.log"
flux_cluster_postgres_start
flux_psql -d postgres -c "DROP DATABASE IF EXISTS $FLUX_CLUSTER_DB WITH (FORCE)" >/dev/null
flux_pg_create_database "$FLUX_CLUSTER_DB"
flux_cluster_start
PSQL="env PGPASSWORD=$(flux_pg_password) PGOPTIONS=-cTimeZone=UTC $(flux_pg_bin)/psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $FLUX_PG_PORT -U $FLUX_PG_USER -d $FLUX_CLUSTER_DB"
sql() { $PSQL -tA -F '|' "$@"; }
export BENCH_URL=$URL BENCH_ADMIN_KEY=$Admin__ApiKey
# shellcheck source=../scripts/lib/load.sh
source "$FLUX_ROOT/scripts/lib/load.sh"
fail() { echo "FAIL: $*" >&2; printf '%s\n' "$*" > "$WORK/runs/fail"; exit 1; }
servers() { sql -c "SELECT count(*) FROM hangfire.server"; }
SPREAD=$(flux_cluster_spread)
log "through nginx: $SPREAD"

# --- set-up through the API (the bench's set-up scripts), through nginx -------------------------------------
log "set-up: SDK credentials, a reseller with 48 keys, providers with keys, the directory"
sdk_setup
# shellcheck source=scenarios/reseller-common.setup.sh
source bench/scenarios/reseller-common.setup.sh
read -r RESELLER keys < <(reseller_with_keys "Proof $RUN" 48)
IFS=, read -r -a PLAN_KEYS <<< "$keys"
bash bench/scenarios/listings-patch.setup.sh > "$WORK/patch.env"
IFS=, read -r -a PATCH_PROVIDERS <<< "$(sed -n 's/^LISTINGS_PROVIDERS=//p' "$WORK/patch.env")"
bash bench/scenarios/listings-directory.setup.sh > "$WORK/directory.env"
bash bench/scenarios/metering-track.setup.sh > "$WORK/track.env"
RESELLER_BENCH_KEYS=300 bash bench/scenarios/reseller-plans-get.setup.sh > "$WORK/plans-get.env"

# PATCH clients: worker w patches provider w (of the bench's providers) with totalNodes = its request
# number, one at a time, so the listing must end with the last one stored and each acknowledged one must be
# in the listing's history.
patch_send() {
  local idx=${1##*-} w=${1%-*}
  w=${w##*-}
  local pair=${PATCH_PROVIDERS[$((w - 1))]}
  curl -s -o "$2" --max-time 10 -w '%{http_code}|%header{retry-after}|%header{x-instance}' -X PATCH "$URL/api/providers/${pair%%:*}" \
    -H 'Content-Type: application/json' -H "Authorization: Bearer ${pair#*:}" -d "{\"totalNodes\":$((100000 + idx))}" || true
}
patch_worker() { load_worker patch_send 200 - "$@"; }

PASSED=0
FAILED=0
LINES=()
SECTIONS=()
part() { # name function
  local name=$1 fn=$2 rc
  if [ -n "$ONLY" ] && ! [[ "$name" =~ $ONLY ]]; then return; fi
  log "part $name"
  rm -f "$WORK/runs/fail" "$WORK/runs/summary" "$WORK/runs/section"
  set +e
  ( set -e; "$fn" ) 2> >(tee "$WORK/runs/$name.err" >&2)
  rc=$?
  set -e
  sleep 0.2
  if [ $rc -eq 0 ]; then
    PASSED=$((PASSED + 1)); LINES+=("PASS $name: $(cat "$WORK/runs/summary")")
  else
    FAILED=$((FAILED + 1)); LINES+=("FAIL $name: $(cat "$WORK/runs/fail" 2>/dev/null || tail -n 3 "$WORK/runs/$name.err" | paste -sd' ' -)")
  fi
  echo "${LINES[-1]}"
  [ -s "$WORK/runs/section" ] && SECTIONS+=("$(cat "$WORK/runs/section")")
  return 0
}

# --- 1. kill -9 of a host under load through nginx -----------------------------------------------------------
part_fault() {
  local t0 killed_at restarted_at ready_at sdk="$WORK/runs/sdk" plans="$WORK/runs/plans" patch="$WORK/runs/patch"
  local sdk_pids plans_pids patch_pids
  export LOAD_SECONDS=$((DURATION + 5)) LOAD_MAX=100000
  : > "$WORK/servers"
  t0=$(now)
  # wrk: SDK events and directory reads, for the whole duration.
  (set -a; source "$WORK/track.env"; set +a; wrk -t1 -c"$WRK_CONNECTIONS" -d"${DURATION}s" -s bench/scenarios/metering-track.lua "$URL" > "$WORK/wrk-track.out" 2>&1) &
  WRK_PIDS="$!"
  (wrk -t1 -c"$WRK_CONNECTIONS" -d"${DURATION}s" -s bench/scenarios/listings-directory.lua "$URL" > "$WORK/wrk-directory.out" 2>&1) &
  WRK_PIDS="$WRK_PIDS $!"
  load_start sdk_worker "c1-$RUN" "$sdk"; sdk_pids=("${LOAD_PIDS[@]}")
  load_start plan_worker "c2-$RUN" "$plans"; plans_pids=("${LOAD_PIDS[@]}")
  load_start patch_worker "c3-$RUN" "$patch"; patch_pids=("${LOAD_PIDS[@]}")
  # Hangfire's server list, every second, for the whole run.
  # Connections too: PgBouncer's pool (clients, waiting clients, server connections, longest wait) and
  # PostgreSQL's backends by application name.
  ( while [ ! -e "$WORK/servers.stop" ] && [ "$(date +%s)" -lt $((${t0%.*} + DURATION + 120)) ]; do
      printf '%s %s\n' "$EPOCHREALTIME" "$(servers)" >> "$WORK/servers"
      flux_pgbouncer_admin -A -F'|' -c "SHOW POOLS" 2>/dev/null | awk -F'|' -v db="$FLUX_CLUSTER_DB" '
        NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $1 == db { print $c["cl_active"], $c["cl_waiting"], $c["sv_active"], $c["sv_idle"] + $c["sv_used"] + $c["sv_tested"] + $c["sv_login"], $c["maxwait"] + $c["maxwait_us"] / 1e6 }' >> "$WORK/pools"
      sql -c "SELECT coalesce(nullif(application_name, ''), '-'), count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1" \
        | tr ' ' '_' | awk -F'|' -v t="$EPOCHREALTIME" '{ print t, $1, $2 }' >> "$WORK/backends"
      sleep 1
    done ) &
  local poller=$!
  local before
  sleep "$KILL_AT"
  before=$(servers)
  killed_at=$(now)
  flux_cluster_host_kill9 "$VICTIM"
  log "fault: host$VICTIM killed with kill -9 at $(elapsed "$t0" "$killed_at") s ($before Hangfire servers before)"
  sleep $((RESTART_AT - KILL_AT))
  restarted_at=$(now)
  flux_cluster_host_start "$VICTIM"
  flux_cluster_host_wait "$VICTIM" 90
  ready_at=$(now)
  log "fault: host$VICTIM started again at $(elapsed "$t0" "$restarted_at") s, ready $(elapsed "$restarted_at" "$ready_at") s later"
  local left
  left=$(awk -v a="$t0" -v d="$DURATION" 'BEGIN { printf "%d", a + d + 1 }')
  while [ "$(date +%s)" -lt "$left" ]; do sleep 0.5; done
  LOAD_PIDS=("${sdk_pids[@]}"); load_stop "$sdk"
  LOAD_PIDS=("${plans_pids[@]}"); load_stop "$plans"
  LOAD_PIDS=("${patch_pids[@]}"); load_stop "$patch"
  # shellcheck disable=SC2086
  wait $WRK_PIDS || true
  WRK_PIDS=""
  sleep 3
  touch "$WORK/servers.stop"; wait "$poller" || true
  local ended_at
  ended_at=$(now)

  # Hangfire: N before the kill, N-1 once the dead server timed out, N again after the restart.
  local min_servers down_seen_at final_servers
  min_servers=$(awk '{ print $2 }' "$WORK/servers" | sort -n | head -n 1)
  down_seen_at=$(awk -v k="$killed_at" -v n=$((HOSTS - 1)) '$1 > k && $2 == n { print $1; exit }' "$WORK/servers")
  final_servers=$(servers)
  [ "$before" -eq "$HOSTS" ] || fail "fault: $before Hangfire servers before the kill, not $HOSTS"
  [ -n "$down_seen_at" ] && [ "$min_servers" -eq $((HOSTS - 1)) ] || fail "fault: the server list never showed $((HOSTS - 1)) servers after the kill (minimum $min_servers)"
  [ "$final_servers" -eq "$HOSTS" ] || fail "fault: $final_servers Hangfire servers after the restart, not $HOSTS"

  # The accounting clients' answers; retries of what was not acknowledged (same idempotency key).
  retry_unacknowledged "$sdk" 202 sdk_send
  local sdk_account plans_account patch_account
  sdk_account=$(sdk_check_stored "c1-$RUN" "$sdk") || fail "fault (SDK): $sdk_account"
  plans_check_stored "fault (purchases)" "$plans" "$RESELLER"
  plans_account=$PLANS_ACCOUNT
  grep -q ' 500 ' "$sdk" "$patch" && fail "fault: a 500 was answered (SDK $(codes "$sdk"); PATCH $(codes "$patch"))"
  # PATCH: each acknowledged value in the provider's history (source push), and the listing holds the
  # worker's last stored value.
  local w pair slug acked_missing=0 last_wrong=0 acked_total
  for w in $(seq 1 "$WORKERS"); do
    pair=${PATCH_PROVIDERS[$((w - 1))]}; slug=${pair%%:*}
    sql -c "SELECT (c.new_value #>> '{}') FROM listings.listing_changes c JOIN listings.providers p ON p.id = c.provider_id
            WHERE p.slug = '$slug' AND c.field = 'totalNodes' AND c.source = 'push'" | sort > "$patch.history$w"
    awk -v p="c3-$RUN-$w-" '$2 == 200 && index($1, p) == 1 { split($1, k, "-"); print 100000 + k[length(k)] }' "$patch" | sort > "$patch.acked$w"
    acked_missing=$((acked_missing + $(comm -23 "$patch.acked$w" "$patch.history$w" | wc -l)))
    local stored sent_last
    stored=$(sql -c "SELECT total_nodes FROM listings.providers WHERE slug = '$slug'")
    # The last request sent that may have been stored: the last acknowledged one or any later one.
    sent_last=$(awk -v p="c3-$RUN-$w-" 'index($1, p) == 1 { split($1, k, "-"); print 100000 + k[length(k)] }' "$patch" | sort -n | tail -n 1)
    local last_acked
    last_acked=$(sort -n "$patch.acked$w" | tail -n 1)
    if [ "$stored" -lt "$last_acked" ] || [ "$stored" -gt "$sent_last" ]; then last_wrong=$((last_wrong + 1)); fi
  done
  acked_total=$(awk '$2 == 200' "$patch" | wc -l)
  [ "$acked_missing" -eq 0 ] || fail "fault (PATCH): $acked_missing acknowledged PATCHes are not in the listing's history"
  [ "$last_wrong" -eq 0 ] || fail "fault (PATCH): $last_wrong listings do not hold their last acknowledged value (or a later one sent)"
  patch_account="$acked_total acknowledged, each in the listing's history; every listing holds its last stored value"

  # Error rate and window, over every accounting client, and wrk's own count.
  cat "$sdk" "$plans" "$patch" > "$WORK/runs/all"
  local total bad window codes_all wrk_total wrk_bad wrk_sock retried nginx_5xx
  total=$(wc -l < "$WORK/runs/all")
  bad=$(awk '$2 !~ /^2/' "$WORK/runs/all" | wc -l)
  window=$(awk '$2 !~ /^2/ { if (first == "" || $5 < first) first = $5; if ($6 > last) last = $6 } END { if (first == "") print "0"; else printf "%.1f", last - first }' "$WORK/runs/all")
  wrk_total=$(awk '/requests in/ { s += $1 } END { print s + 0 }' "$WORK"/wrk-*.out)
  wrk_bad=$(awk '/Non-2xx or 3xx responses:/ { s += $5 } END { print s + 0 }' "$WORK"/wrk-*.out)
  wrk_sock=$(grep -ho 'Socket errors:.*' "$WORK"/wrk-*.out | paste -sd';' - || true)
  # nginx: requests it passed on to another host after a failure, and answers of 5xx it gave.
  sleep 1.1
  local access="$FLUX_CLUSTER_DIR/nginx/access.log" host_500
  retried=$(awk -F'|' -v a="$t0" -v b="$ended_at" '$1 >= a && $1 <= b && $5 ~ /,/' "$access" | wc -l)
  nginx_5xx=$(awk -F'|' -v a="$t0" -v b="$ended_at" '$1 >= a && $1 <= b && $4 ~ /^5/' "$access" | wc -l)
  # A 500 from a host is a bug whatever the fault (a 502 is nginx's own answer for a request cut with its host).
  host_500=$(awk -F'|' -v a="$t0" -v b="$ended_at" '$1 >= a && $1 <= b && $6 ~ /500/' "$access" | wc -l)
  [ "$host_500" -eq 0 ] || fail "fault: hosts answered 500 to $host_500 requests (.data/cluster/nginx/access.log, host logs)"
  local rate
  rate=$(awk -v b="$bad" -v t="$total" 'BEGIN { printf "%.2f", t ? 100 * b / t : 0 }')
  local wrk_rate
  wrk_rate=$(awk -v b="$wrk_bad" -v t="$wrk_total" 'BEGIN { printf "%.3f", t ? 100 * b / t : 0 }')
  local by_host
  by_host=$(awk -F'|' -v a="$t0" -v b="$ended_at" '$1 >= a && $1 <= b { n = split($5, u, ", "); h[u[n]]++ } END { for (k in h) printf "%s×%d\n", k, h[k] }' "$access" | sort | paste -sd' ' -)
  # How long any client (wrk's too) saw errors: from the first answer of nginx that was not 2xx/3xx/4xx to the last.
  local nginx_window
  nginx_window=$(awk -F'|' -v a="$t0" -v b="$ended_at" '$1 >= a && $1 <= b && $4 ~ /^5/ { if (f == "") f = $1; l = $1 } END { if (f == "") print "0"; else printf "%.1f", l - f }' "$access")
  local codes_nginx
  codes_nginx=$(awk -F'|' -v a="$t0" -v b="$ended_at" '$1 >= a && $1 <= b && $4 !~ /^2/ { n[$2 " " $4]++ } END { for (k in n) printf "%s×%d\n", k, n[k] }' "$access" | sort | paste -sd',' - | sed 's/,/, /g')
  # Connections seen during the run.
  local pools backends
  pools=$(awk '{ if ($1 > ca) ca = $1; if ($2 > cw) cw = $2; if ($3 > sa) sa = $3; if ($3 + $4 > st) st = $3 + $4; if ($5 > mw) mw = $5 }
               END { printf "PgBouncer: at most %d client connections (%d waiting), %d server connections busy of %d open, longest wait %.3f s", ca, cw, sa, st, mw }' "$WORK/pools")
  backends=$(awk '{ n[$1 " " $2] = $3; t[$1] += $3 } END { for (k in n) { split(k, f, " "); if (n[k] > m[f[2]]) m[f[2]] = n[k] } for (k in t) if (t[k] > tm) tm = t[k]; for (a in m) printf "%s %d, ", a, m[a]; printf "at most %d in all", tm }' "$WORK/backends" | tr '_' ' ')
  printf '%s\n' "$pools; PostgreSQL backends by application name, peak (a PgBouncer server connection carries the name of the last client that used it): $backends" > "$WORK/connections"
  printf '%s\n' "$DURATION s under load; host$VICTIM killed at ${KILL_AT} s, started at ${RESTART_AT} s (ready $(elapsed "$restarted_at" "$ready_at") s later); accounting clients: $total requests, $bad not 2xx ($rate %), errors seen for $window s; wrk: $wrk_total requests, $wrk_bad non-2xx ($wrk_rate %)${wrk_sock:+, $wrk_sock}; nginx passed $retried requests on to another host, answered $nginx_5xx with 5xx within $nginx_window s; Hangfire servers $before → $((HOSTS - 1)) ($(elapsed "$killed_at" "$down_seen_at") s after the kill) → $final_servers; SDK: $sdk_account; purchases: $plans_account; PATCH: $patch_account" > "$WORK/runs/summary"
  {
    echo "## 1. kill -9 of one host under load through nginx"
    echo
    echo "$DURATION s of load through nginx (\`$URL\`): wrk with $WRK_CONNECTIONS connections on SDK events (\`metering-track.lua\`) and $WRK_CONNECTIONS on directory reads (\`listings-directory.lua\`), plus $WORKERS accounting clients each for SDK events, keyed plan purchases and listing PATCHes (every answer logged). host$VICTIM killed with \`kill -9\` at $KILL_AT s, started again at $RESTART_AT s, ready $(elapsed "$restarted_at" "$ready_at") s later."
    echo
    echo "| | |"
    echo "|---|---|"
    echo "| accounting clients | $total requests, $bad not 2xx (**$rate %**), errors seen for **$window s** |"
    echo "| codes (SDK) | $(codes "$sdk") |"
    echo "| codes (purchases) | $(codes "$plans") |"
    echo "| codes (PATCH) | $(codes "$patch") |"
    echo "| wrk | $wrk_total requests, $wrk_bad non-2xx ($wrk_rate %)${wrk_sock:+; $wrk_sock} |"
    echo "| nginx (every client, wrk's too) | $retried requests passed on to another host after a failure; $nginx_5xx answered 5xx (${codes_nginx:-none}) within **$nginx_window s**; no 500 from a host; answered by: $by_host |"
    echo "| Hangfire servers | $before before the kill → $((HOSTS - 1)) $(elapsed "$killed_at" "$down_seen_at") s after it (ServerTimeout 15 s) → $final_servers after the restart |"
    echo "| SDK events | $sdk_account |"
    echo "| plan purchases | $plans_account |"
    echo "| listing PATCHes | $patch_account |"
    echo "| connections (sampled every second) | $(cat "$WORK/connections") |"
  } > "$WORK/runs/section"
}

# --- 2. recurring jobs: once per firing across the cluster ---------------------------------------------------
part_jobs() {
  # Each firing of a recurring job is one background job with parameters RecurringJobId and Time (the
  # occurrence); the state data of its Succeeded/Processing state names the server that ran it.
  sql -c "SELECT r.value, t.value, count(*) FROM hangfire.jobparameter r JOIN hangfire.jobparameter t ON t.jobid = r.jobid AND t.name = 'Time'
          WHERE r.name = 'RecurringJobId' GROUP BY 1, 2" > "$WORK/runs/firings"
  local firings dup jobs per_job per_server
  firings=$(wc -l < "$WORK/runs/firings")
  dup=$(awk -F'|' '$3 > 1' "$WORK/runs/firings" | wc -l)
  per_job=$(awk -F'|' '{ gsub(/"/, "", $1); n[$1]++ } END { for (k in n) printf "%s %d\n", k, n[k] }' "$WORK/runs/firings" | sort | paste -sd',' - | sed 's/,/, /g')
  per_server=$(sql -c "SELECT split_part(s.data ->> 'ServerId', ':', 1), count(*) FROM hangfire.state s
                       JOIN hangfire.jobparameter r ON r.jobid = s.jobid AND r.name = 'RecurringJobId'
                       WHERE s.name = 'Processing' GROUP BY 1 ORDER BY 1" | awk -F'|' '{ sub(/-[0-9]+-[0-9a-f]+$/, "", $1); n[$1] += $2 } END { for (k in n) printf "%s×%d\n", k, n[k] }' | sort | paste -sd' ' -)
  [ "$firings" -gt 0 ] || fail "jobs: no recurring job fired"
  [ "$dup" -eq 0 ] || fail "jobs: $dup occurrences fired more than once: $(awk -F'|' '$3 > 1' "$WORK/runs/firings" | head -n 3 | paste -sd';' -)"
  printf '%s\n' "$firings firings, none twice (per job: $per_job); run by: $per_server" > "$WORK/runs/summary"
  {
    echo "## 2. Recurring jobs"
    echo
    echo "Every firing is a Hangfire job with the parameters \`RecurringJobId\` and \`Time\` (the occurrence). Over the whole run (\`reseller-plan-expiry\` every second, the others at their defaults): **$firings firings, no occurrence twice**. Per job: $per_job. Run by (Processing states per host, host$VICTIM's include its runs before the kill and after the restart): $per_server."
  } > "$WORK/runs/section"
}

# --- 3. the reseller rate limit across hosts ------------------------------------------------------------------
part_ratelimit() {
  local key out="$WORK/runs/ratelimit" ok limited other spread
  key=$(reseller_api_keys "$RESELLER" 1)
  : > "$out"
  for _ in $(seq 1 150); do
    curl -s -o /dev/null --max-time 10 -w '%{http_code} %header{x-instance}\n' "$URL/api/v1/balance" -H "Authorization: Bearer $key" >> "$out" || echo "000 -" >> "$out"
  done
  ok=$(awk '$1 == 200' "$out" | wc -l)
  limited=$(awk '$1 == 429' "$out" | wc -l)
  other=$(awk '$1 != 200 && $1 != 429' "$out" | wc -l)
  spread=$(awk '$1 == 200 { n[$2]++ } END { for (k in n) printf "%s×%d\n", k, n[k] }' "$out" | sort | paste -sd' ' -)
  [ "$other" -eq 0 ] || fail "ratelimit: $other answers neither 200 nor 429"
  [ "$ok" -eq 100 ] && [ "$limited" -eq 50 ] || fail "ratelimit: $ok answered 200 and $limited 429 of 150 (answered by $spread)"
  [ "$(awk '$1 == 200 { print $2 }' "$out" | sort -u | wc -l)" -eq "$HOSTS" ] || fail "ratelimit: not every host answered ($spread)"
  printf '%s\n' "one key, 150 requests within a minute through nginx: 100 answered 200 (by $spread), 50 answered 429" > "$WORK/runs/summary"
  {
    echo "## 3. Reseller rate limit across hosts"
    echo
    echo "One fresh live key, 150 \`GET /api/v1/balance\` within a minute through nginx: **100 answered 200, 50 answered 429**. The 200s came from $spread: the window is counted in PostgreSQL, once for the cluster."
  } > "$WORK/runs/section"
}

# --- 4. throughput with 3, 2 and 1 hosts, and one host directly ------------------------------------------------
CLK_TCK=$(getconf CLK_TCK)
# CPU ticks (user + system, with reaped children) of the given pids and their live children.
cpu_ticks() {
  local pid child total=0 t
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    t=$(sed 's/^.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 + $14 + $15 }')
    total=$((total + t))
    for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do
      [ -r "/proc/$child/stat" ] || continue
      t=$(sed 's/^.*) //' "/proc/$child/stat" | awk '{ print $12 + $13 }')
      total=$((total + t))
    done
  done
  echo "$total"
}
host_pids() { local i; for i in "$@"; do cat "$FLUX_CLUSTER_DIR/host$i.pid"; done; }
nginx_pid() { cat "$FLUX_CLUSTER_DIR/nginx/nginx.pid"; }
pgbouncer_pid() { cat "$FLUX_CLUSTER_DIR/pgbouncer/pgbouncer.pid"; }
postgres_pid() { head -n 1 "$FLUX_PG_DATA/postmaster.pid"; }
to_ms() {
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); printf "%.1f", v/1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.1f", v } else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.1f", v*1000 } else print v }'
}

# bench_run LABEL TARGET-URL ACTIVE-HOSTS... : every scenario, one row each.
bench_run() {
  local label=$1 target=$2 scenario env out
  shift 2
  for scenario in metering-track listings-directory reseller-plans-get; do
    case $scenario in
      metering-track) env="$WORK/track.env" ;;
      listings-directory) env="$WORK/directory.env" ;;
      reseller-plans-get) env="$WORK/plans-get.env" ;;
    esac
    out="$WORK/bench-$label-$scenario.wrk"
    (set -a; source "$env"; set +a; wrk -t2 -c"$BENCH_CONNECTIONS" -d3s -s "bench/scenarios/$scenario.lua" "$target" > /dev/null 2>&1) || true
    local h0 n0 b0 p0
    h0=$(cpu_ticks $(host_pids "$@")); n0=$(cpu_ticks "$(nginx_pid)"); b0=$(cpu_ticks "$(pgbouncer_pid)"); p0=$(cpu_ticks "$(postgres_pid)")
    (set -a; source "$env"; set +a; wrk -t2 -c"$BENCH_CONNECTIONS" -d"${BENCH_DURATION}s" --latency -s "bench/scenarios/$scenario.lua" "$target" > "$out" 2>&1)
    local h1 n1 b1 p1 total rps p50 p99 bad
    h1=$(cpu_ticks $(host_pids "$@")); n1=$(cpu_ticks "$(nginx_pid)"); b1=$(cpu_ticks "$(pgbouncer_pid)"); p1=$(cpu_ticks "$(postgres_pid)")
    total=$(awk '/requests in/ { print $1 }' "$out")
    rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
    bad=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' "$out"); bad=${bad:-0}
    per() { awk -v d="$1" -v n="$total" -v t="$CLK_TCK" 'BEGIN { printf "%.2f", n ? 1000 * d / t / n : 0 }'; }
    local cpu_all
    cpu_all=$(awk -v d=$(((h1 - h0) + (n1 - n0) + (b1 - b0) + (p1 - p0))) -v n="$total" -v t="$CLK_TCK" 'BEGIN { printf "%.2f", n ? 1000 * d / t / n : 0 }')
    BENCH_ROWS+=("| $label | $scenario | $rps | $p50 | $p99 | $bad | $(per $((h1 - h0))) | $(per $((n1 - n0))) | $(per $((b1 - b0))) | $(per $((p1 - p0))) | $cpu_all |")
    log "throughput $label $scenario: $rps requests/s"
  done
}

part_throughput() {
  BENCH_ROWS=()
  local i active=()
  for i in $(seq 1 "$HOSTS"); do active+=("$i"); done
  for ((n = HOSTS; n >= 1; n--)); do
    # nginx over the first n hosts; the others stopped, so that they cost nothing.
    FLUX_CLUSTER_HOSTS=$n flux_nginx_write_config
    "$(flux_nginx_bin)" -c "$FLUX_CLUSTER_DIR/nginx/nginx.conf" -e "$FLUX_CLUSTER_DIR/nginx/error.log" -s reload
    sleep 1
    bench_run "nginx, $n host$([ "$n" -gt 1 ] && echo s)" "$URL" "${active[@]:0:$n}"
    [ "$n" -gt 1 ] && flux_cluster_host_stop "$n" 30
  done
  bench_run "host1 directly" "$(flux_cluster_host_url 1)" 1
  local three one
  three=$(printf '%s\n' "${BENCH_ROWS[@]}" | awk -F'|' -v h="nginx, $HOSTS hosts" '$2 ~ h && $3 ~ /metering-track/ { gsub(/ /, "", $4); print $4 }')
  one=$(printf '%s\n' "${BENCH_ROWS[@]}" | awk -F'|' '$2 ~ /nginx, 1 host / && $3 ~ /metering-track/ { gsub(/ /, "", $4); print $4 }')
  printf '%s\n' "SDK track $three requests/s with $HOSTS hosts, $one with 1 (all rows in the report)" > "$WORK/runs/summary"
  {
    echo "## 4. Throughput with ${HOSTS}…1 hosts, and one host directly"
    echo
    echo "wrk -t2 -c$BENCH_CONNECTIONS, ${BENCH_DURATION} s per row after a 3 s warm-up, on this machine's $(nproc) cores shared by wrk, nginx, the hosts, PgBouncer and PostgreSQL (and other work: the CPU columns count only the named processes, from /proc). Hosts not in the row are stopped. CPU is milliseconds of CPU time (user + system) per request. Latencies in milliseconds."
    echo
    echo "| topology | scenario | requests/s | p50 | p99 | non-2xx | CPU hosts | CPU nginx | CPU PgBouncer | CPU PostgreSQL | CPU total |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${BENCH_ROWS[@]}"
  } > "$WORK/runs/section"
}

part fault part_fault
part jobs part_jobs
part ratelimit part_ratelimit
part throughput part_throughput

{
  echo "# Cluster proof — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "\`bench/cluster-proof.sh\`, commit \`$(git rev-parse --short HEAD 2>/dev/null || echo unknown)\`$(git diff --quiet -- . ':(exclude)bench/results' ':(exclude)docs' 2>/dev/null || echo ' (with uncommitted changes)'). Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), shared with other work. $HOSTS hosts (Release) behind nginx $("$(flux_nginx_bin)" -v 2>&1 | sed 's/.*nginx\///'), PgBouncer $("$(flux_pgbouncer_bin)" --version | head -n 1 | awk '{ print $2 }') (transaction pooling, $FLUX_PGBOUNCER_POOL server connections), PostgreSQL $("$(flux_pg_bin)/postgres" --version | awk '{print $3}'). Spread of 9 requests through nginx at start: $SPREAD."
  echo
  printf -- '- %s\n' "${LINES[@]}"
  for section in "${SECTIONS[@]}"; do
    echo
    echo "$section"
  done
} > "$REPORT"
log "wrote $REPORT"
echo "cluster-proof: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
