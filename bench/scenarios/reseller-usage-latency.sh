#!/usr/bin/env bash
# One request at a time (no queueing behind other connections): how long each usage read takes with the
# 10-million-record data set loaded (reseller_usage_dataset). Prints a Markdown section for the report.
# RESELLER_LATENCY_REQUESTS (default 60, under one key's 100 a minute) requests per read, over 20 plans.
set -euo pipefail
# shellcheck source=reseller-common.setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/reseller-common.setup.sh"

requests=${RESELLER_LATENCY_REQUESTS:-60}
id=$(reseller_usage_dataset)
mapfile -t plans < <($BENCH_PSQL -tAc "SELECT id FROM reseller.plans WHERE reseller_id = '$id' ORDER BY random() LIMIT 20")
records=$($BENCH_PSQL -tAc "SELECT to_char(count(*), 'FM999,999,999') FROM reseller.usage_records")
hours=$($BENCH_PSQL -tAc "SELECT to_char(count(*), 'FM999,999,999') FROM reseller.usage_hourly")

echo "## reseller-usage-latency: usage reads one at a time, $records usage records ($hours hourly rollup rows)"
echo
echo "Milliseconds per request (curl's total time: HTTP, key lookup, rate limit, queries), $requests requests each, sequential."
echo
echo "| read | p50 | p90 | max |"
echo "|---|---:|---:|---:|"
for read in "usage/summary?period=today" "usage/summary?period=month" "usage/summary?period=all" \
            "usage/plans/{plan}?granularity=hourly" "usage/plans/{plan}?granularity=daily" "usage/plans/{plan}?granularity=weekly" \
            "plans/{plan}/usage"; do
  key=$(reseller_api_keys "$id" 1)
  for i in $(seq 1 "$requests"); do
    path=${read//\{plan\}/${plans[$((i % ${#plans[@]}))]}}
    curl -fsS -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $key" "$BENCH_URL/api/v1/$path"
  done | sort -n | awk -v name="GET /$read" '{ t[NR] = $1 * 1000 } END {
    printf "| `%s` | %.1f | %.1f | %.1f |\n", name, t[int(NR * 0.5)], t[int(NR * 0.9)], t[NR] }'
done
