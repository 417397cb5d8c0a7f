#!/usr/bin/env bash
# Setup for reseller-plans-get: one reseller with RESELLER_BENCH_KEYS live keys (default 6,000: at 100 requests
# a minute each, room for 600,000 requests in the warm-up and the run, 30 s at most, so none is refused for the rate
# limit at 20,000 a second) and one residential plan bought through the API; prints the keys and the plan id.
set -euo pipefail
# shellcheck source=reseller-common.setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/reseller-common.setup.sh"

read -r _ keys < <(reseller_with_keys "Bench get" "${RESELLER_BENCH_KEYS:-6000}")
first=${keys%%,*}
plan=$(curl -fsS -X POST "$BENCH_URL/api/v1/plans" -H "Authorization: Bearer $first" -H 'Content-Type: application/json' \
  -d '{"product":"residential","bandwidth_gb":5}')
reseller_keys_env reseller-plans-get "$keys"
echo "RESELLER_PLAN_ID=$(reseller_field plan_id "$plan")"
