#!/usr/bin/env bash
# Load benchmarks on this machine, against 127.0.0.1 only. Starts PostgreSQL and the host (Release),
# measures PostgreSQL's own ceiling with pgbench, runs every scenario in bench/scenarios and writes
# bench/results/<date>.md.
#
# Scenarios (run in name order):
#   <name>.lua        a wrk script; wrk reports requests/s and latency percentiles.
#   <name>.setup.sh   optional, run before <name>.lua; prints KEY=VALUE lines that are exported for
#                     wrk (read them in Lua with os.getenv), e.g. a key it created through the admin API.
#   <name>.sh         a scenario of its own (bulk jobs, big data sets); its stdout, Markdown, goes
#                     into the report as a section.
# Every script gets BENCH_URL, BENCH_ADMIN_KEY, BENCH_CONNECTION_STRING, BENCH_PSQL (a psql command
# line for the bench database), BENCH_THREADS (wrk's -t) and BENCH_WORK (the run's scratch directory, for files a
# setup hands to its Lua, such as the reseller scenarios' keys).
#
# Settings: BENCH_CONNECTIONS (default 32), BENCH_THREADS (2), BENCH_DURATION seconds (15), BENCH_WARMUP_STEP and
# BENCH_WARMUP_MAX seconds (3 and 30: the warm-up before each measured run, see warm_up below),
# BENCH_CEILING_NOW seconds (5: pgbench's inserts again right before each scenario, 0 to skip),
# BENCH_ONLY (a regular expression, e.g. a name or "listings|health": run only matching scenarios), BENCH_PORT (5090),
# BENCH_DATABASE (fluxsuite_bench; dropped and made again by every run).
set -euo pipefail
FLUX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../scripts/lib/postgres.sh
source "$FLUX_ROOT/scripts/lib/postgres.sh"
cd "$FLUX_ROOT"

CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
DURATION=${BENCH_DURATION:-15}
WARMUP_STEP=${BENCH_WARMUP_STEP:-3}
WARMUP_MAX=${BENCH_WARMUP_MAX:-30}
PORT=${BENCH_PORT:-5090}
ONLY=${BENCH_ONLY:-}
URL="http://127.0.0.1:$PORT"
DB=${BENCH_DATABASE:-fluxsuite_bench}
WORK="$FLUX_ROOT/bench/.work"
REPORT="$FLUX_ROOT/bench/results/$(date -u +%Y-%m-%d).md"
rm -rf "$WORK"
mkdir -p "$WORK" "$(dirname "$REPORT")"

if ! command -v wrk >/dev/null 2>&1; then
  flux_log "installing wrk"
  if flux_is_root; then apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null;
  else sudo -n apt-get install -y -qq wrk >/dev/null; fi
fi

flux_pg_ensure
flux_psql -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
flux_pg_create_database "$DB"
CONNECTION_STRING=$(flux_pg_connection_string "$DB")
ADMIN_KEY=$(flux_random_secret 40)
PSQL="env PGPASSWORD=$(flux_pg_password) $(flux_pg_bin)/psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $FLUX_PG_PORT -U $FLUX_PG_USER -d $DB"

flux_log "building the host (Release)"
dotnet publish src/FluxSuite.Host/FluxSuite.Host.csproj -c Release -o "$WORK/host" -v quiet -nologo >/dev/null

flux_log "starting the host on $URL"
# Request lines are logged at Information; the bench logs warnings only so that the console sink
# is not what gets measured.
ConnectionStrings__Default=$CONNECTION_STRING Admin__ApiKey=$ADMIN_KEY \
  Metering__Jwt__SigningKey=$(flux_random_secret 64) ASPNETCORE_ENVIRONMENT=Production \
  Serilog__MinimumLevel__Default=Warning \
  dotnet "$WORK/host/FluxSuite.Host.dll" --urls "$URL" --contentRoot "$WORK/host" > "$WORK/host.log" 2>&1 &
HOST_PID=$!
trap 'kill $HOST_PID 2>/dev/null || true; wait $HOST_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "$URL/health/ready" 2>/dev/null; then break; fi
  kill -0 $HOST_PID 2>/dev/null || { cat "$WORK/host.log" >&2; flux_die "the host exited"; }
  sleep 0.5
done
curl -fsS -o /dev/null "$URL/health/ready" || { tail -n 40 "$WORK/host.log" >&2; flux_die "the host did not become ready"; }

export BENCH_WORK=$WORK BENCH_THREADS=$THREADS BENCH_URL=$URL BENCH_ADMIN_KEY=$ADMIN_KEY BENCH_CONNECTION_STRING=$CONNECTION_STRING BENCH_PSQL=$PSQL

# --- PostgreSQL's own ceiling: one-row inserts at the same concurrency ---------------------------
flux_log "pgbench: one-row insert ceiling ($CONNECTIONS connections, ${DURATION}s)"
$PSQL -c "CREATE TABLE IF NOT EXISTS public.bench_ceiling (id bigserial PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())" >/dev/null
echo "INSERT INTO public.bench_ceiling (payload) VALUES ('bench');" > "$WORK/insert.sql"
(cd "$WORK" && PGPASSWORD=$(flux_pg_password) "$(flux_pg_bin)/pgbench" -n -h 127.0.0.1 -p "$FLUX_PG_PORT" -U "$FLUX_PG_USER" \
  -c "$CONNECTIONS" -j "$THREADS" -T "$DURATION" -f insert.sql -l --log-prefix=pgbench "$DB" > pgbench.out 2>&1)
PG_TPS=$(grep -Eo 'tps = [0-9.]+' "$WORK/pgbench.out" | head -n 1 | awk '{print $3}')
# ceiling_now: the same one-row inserts for CEILING_NOW seconds, right before a scenario's warm-up. Shared boxes change speed
# within a run (the ceiling has moved by a third in half an hour with nothing else of ours running), so each row also says
# what PostgreSQL alone did just before it; the ratio above stays the one to the run's ceiling.
CEILING_NOW=${BENCH_CEILING_NOW:-5}
# A pgbench that fails here leaves "-" in the row (its output in ceiling-now.out), not the run.
ceiling_now() {
  [ "$CEILING_NOW" -gt 0 ] || { echo "-"; return; }
  (cd "$WORK" && PGPASSWORD=$(flux_pg_password) "$(flux_pg_bin)/pgbench" -n -h 127.0.0.1 -p "$FLUX_PG_PORT" -U "$FLUX_PG_USER" \
    -c "$CONNECTIONS" -j "$THREADS" -T "$CEILING_NOW" -f insert.sql "$DB" > ceiling-now.out 2>&1) || true
  awk '/tps = / { for (i = 1; i < NF; i++) if ($i == "=") { printf "%.0f", $(i + 1); found = 1; exit } } END { if (!found) print "-" }' "$WORK/ceiling-now.out"
}
# Per-transaction log: the third field is the latency in microseconds.
cat "$WORK"/pgbench.* 2>/dev/null | awk '{print $3}' | sort -n > "$WORK/pg-latencies"
percentile() { awk -v p="$1" '{a[NR]=$1} END {if (NR==0) {print "-"; exit} i=int(NR*p); if (i<1) i=1; printf "%.2f", a[i]/1000}' "$2"; }
PG_P50=$(percentile 0.50 "$WORK/pg-latencies"); PG_P90=$(percentile 0.90 "$WORK/pg-latencies"); PG_P99=$(percentile 0.99 "$WORK/pg-latencies")

# --- wrk scenarios ---------------------------------------------------------------------------------
to_ms() { # wrk prints 1.23ms, 456.00us, 1.02s
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v/1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v } else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v*1000 } else print v }'
}
# CPU seconds the host process has used so far, in clock ticks (utime + stime of /proc/<pid>/stat).
CLOCK_TICKS=$(getconf CLK_TCK)
host_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$HOST_PID/stat"; }
# "pid ticks" of each PostgreSQL process working for the bench: the backends of its database and the
# cluster's WAL writer, checkpointer and background writer (the processes of other databases are left out).
PG_MASTER=$(head -n 1 "$(readlink -f "$FLUX_PG_DATA")/postmaster.pid")
pg_cpu_snapshot() {
  local pid cmd
  for pid in $(pgrep -P "$PG_MASTER"); do
    cmd=$(tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline") || continue
    case "$cmd" in *" $DB "*|*walwriter*|*checkpointer*|*"background writer"*) ;; *) continue ;; esac
    awk -v pid="$pid" '{ print pid, $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || true
  done
}
# Ticks spent between two snapshots (a process that started in between counts from zero).
pg_cpu_ticks_between() { awk 'NR == FNR { before[$1] = $2; next } { total += $2 - before[$1] } END { print total + 0 }' "$1" "$2"; }
# warm_up SCRIPT ENV_FILE: unmeasured wrk runs of WARMUP_STEP seconds until the host's CPU per request stops falling
# (a run within 5 % of the one before it), at least two runs and at most WARMUP_MAX seconds; prints the seconds.
# The runtime compiles a scenario's hot methods up to three times (quickly, then instrumented, then optimized with
# what the instrumentation saw); on two loaded cores that goes on for 10-25 s of a new scenario's load, and the
# compiler's CPU is not the requests' (see docs/performance.md, "Warm-up").
warm_up() {
  local seconds=0 before after requests now previous=""
  while [ "$seconds" -lt "$WARMUP_MAX" ]; do
    before=$(host_cpu_ticks)
    requests=$( (set -a; source "$2"; set +a; wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP_STEP}s" -s "$1" "$URL" 2>/dev/null) \
      | awk '/requests in/ {print $1}')
    after=$(host_cpu_ticks)
    seconds=$((seconds + WARMUP_STEP))
    now=$(awk -v a="$before" -v b="$after" -v n="${requests:-0}" 'BEGIN { if (n > 0) printf "%.6f", (b - a) / n; else print "" }')
    [ -n "$now" ] || continue
    if [ -n "$previous" ] && awk -v now="$now" -v before="$previous" 'BEGIN { exit !(now >= before * 0.95) }'; then break; fi
    previous=$now
  done
  echo "$seconds"
}
# settle NAME: VACUUM (ANALYZE) the bench database and CHECKPOINT before scenario NAME, so that it does not pay for the
# vacuum, statistics and dirty pages of the scenarios before it (the usage report's millions of new records start an
# automatic vacuum of usage_records that otherwise runs through whatever comes next); the seconds go into the report.
settle() {
  local started
  started=$(date +%s.%N)
  $PSQL -c "VACUUM (ANALYZE)" -c "CHECKPOINT" >/dev/null
  SETTLED+=("$1 $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s")
}
ROWS=()
SECTIONS=()
SETTLED=()
for script in bench/scenarios/*.lua bench/scenarios/*.sh; do
  [ -e "$script" ] || continue
  case "$script" in *.setup.sh) continue ;; esac
  name=$(basename "${script%.*}")
  if [ -n "$ONLY" ] && ! [[ "$name" =~ $ONLY ]]; then continue; fi
  if [[ "$script" == *.sh ]]; then
    settle "$name"
    flux_log "scenario $name (script)"
    SECTIONS+=("$(bash "$script" 2>"$WORK/$name.err" || { echo "**$name failed:**"; echo '```'; tail -n 20 "$WORK/$name.err"; echo '```'; })")
    continue
  fi
  setup="bench/scenarios/$name.setup.sh"
  env_file="$WORK/$name.env"
  : > "$env_file"
  if [ -x "$setup" ] || [ -f "$setup" ]; then
    flux_log "scenario $name: setup"
    bash "$setup" > "$env_file" 2> "$WORK/$name.setup.err" || { cat "$WORK/$name.setup.err" >&2; flux_die "setup of $name failed"; }
  fi
  settle "$name"
  now_tps=$(ceiling_now)
  warmed=$(warm_up "$script" "$env_file")
  flux_log "scenario $name: warmed up in ${warmed}s, now wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s"
  pg_cpu_snapshot > "$WORK/$name.pg-before"
  cpu_before=$(host_cpu_ticks)
  (set -a; source "$env_file"; set +a; wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$script" "$URL" > "$WORK/$name.wrk" 2>&1)
  cpu_after=$(host_cpu_ticks)
  pg_cpu_snapshot > "$WORK/$name.pg-after"
  pg_ticks=$(pg_cpu_ticks_between "$WORK/$name.pg-before" "$WORK/$name.pg-after")
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$WORK/$name.wrk")
  p50=$(to_ms "$(awk '$1=="50%" {print $2}' "$WORK/$name.wrk")")
  p90=$(to_ms "$(awk '$1=="90%" {print $2}' "$WORK/$name.wrk")")
  p99=$(to_ms "$(awk '$1=="99%" {print $2}' "$WORK/$name.wrk")")
  total=$(awk '/requests in/ {print $1}' "$WORK/$name.wrk")
  bad=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$WORK/$name.wrk"); bad=${bad:-0}
  errors=$(grep -Eo 'Socket errors:.*' "$WORK/$name.wrk" || true)
  ratio=$(awk -v a="$rps" -v b="$PG_TPS" 'BEGIN { if (b > 0) printf "%.2f", a/b; else print "-" }')
  ratio_now=$(awk -v a="$rps" -v b="$now_tps" 'BEGIN { if (b > 0) printf "%.2f", a/b; else print "-" }')
  # The host's own CPU time (user + system) over the measured run, per request: steadier than requests/s
  # on a box whose cores the load generator and PostgreSQL share.
  cpu=$(awk -v a="$cpu_before" -v b="$cpu_after" -v hz="$CLOCK_TICKS" -v n="$total" \
    'BEGIN { if (n > 0) printf "%.3f", (b - a) / hz * 1000 / n; else print "-" }')
  pg_cpu=$(awk -v t="$pg_ticks" -v hz="$CLOCK_TICKS" -v n="$total" 'BEGIN { if (n > 0) printf "%.3f", t / hz * 1000 / n; else print "-" }')
  ROWS+=("| $name | $rps | $p50 | $p90 | $p99 | $total | $bad${errors:+ ($errors)} | $ratio | $cpu | $pg_cpu | $warmed | $now_tps | $ratio_now |")
done

# --- report ----------------------------------------------------------------------------------------
{
  echo "# Benchmark report — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Commit \`$(git rev-parse --short HEAD 2>/dev/null || echo unknown)\`$(git diff --quiet -- . ':(exclude)bench/results' 2>/dev/null || echo ' (with uncommitted changes)'). Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)."
  HUGE_MB=$(flux_pg_huge_pages_mb)
  if [ "$HUGE_MB" -gt 0 ]; then PAGES="its shared memory in huge pages (${HUGE_MB} MB)"; else PAGES="its shared memory in 4 kB pages"; fi
  echo "PostgreSQL $("$(flux_pg_bin)/postgres" --version | awk '{print $3}') on 127.0.0.1 (same machine), $PAGES; host in Release; load generator on the same 2 cores."
  echo "wrk: $THREADS threads, $CONNECTIONS connections, ${DURATION}s per scenario. Latencies in milliseconds."
  echo
  echo "## PostgreSQL ceiling (pgbench, one-row INSERT per transaction)"
  echo
  echo "| transactions/s | p50 | p90 | p99 |"
  echo "|---:|---:|---:|---:|"
  echo "| $PG_TPS | $PG_P50 | $PG_P90 | $PG_P99 |"
  echo
  echo "## HTTP scenarios"
  echo
  echo "\`ratio\` is requests/s divided by the pgbench ceiling above; \`host CPU ms/request\` is the host process's CPU time"
  echo "(user + system) during the measured run divided by its requests; \`PostgreSQL CPU ms/request\` the same for the"
  echo "bench database's backends and the cluster's WAL writer, checkpointer and background writer; \`warm-up s\` the unmeasured"
  echo "load before the run, in ${WARMUP_STEP}s steps until the host's CPU per request stopped falling (at most ${WARMUP_MAX}s);"
  echo "\`ceiling now\` the same pgbench inserts for ${CEILING_NOW}s right before the scenario's warm-up (the box's speed at that"
  echo "moment) and \`ratio now\` requests/s divided by it. The targets are judged by \`ratio\`."
  echo
  echo "| scenario | requests/s | p50 | p90 | p99 | requests | non-2xx | ratio | host CPU ms/request | PostgreSQL CPU ms/request | warm-up s | ceiling now | ratio now |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "Before each scenario (its setup done, before its warm-up) the bench database was vacuumed and analyzed and a"
  echo "checkpoint taken: $(IFS=,; echo "${SETTLED[*]}" | sed 's/,/, /g')."
  for section in "${SECTIONS[@]}"; do
    echo
    echo "$section"
  done
} > "$REPORT"
flux_log "wrote $REPORT"
cat "$REPORT"
