#!/usr/bin/env bash
# Setup for reseller-plans-create: RESELLER_BENCH_RESELLERS resellers (default 4), each topped up and
# with RESELLER_BENCH_KEYS live keys (default 200), so the load spreads over several balances and no key
# reaches its limit of 100 requests a minute during the run.
set -euo pipefail
# shellcheck source=reseller-common.setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/reseller-common.setup.sh"

all=""
for r in $(seq 1 "${RESELLER_BENCH_RESELLERS:-4}"); do
  read -r _ keys < <(reseller_with_keys "Bench create $r" "${RESELLER_BENCH_KEYS:-200}")
  all="${all:+$all,}$keys"
done
reseller_keys_env reseller-plans-create "$all"
