#!/usr/bin/env bash
# Setup for reseller-usage-summary: the 10-million-record data set (reseller_usage_dataset) and
# RESELLER_BENCH_KEYS (default 4,000: room for 400,000 requests in the warm-up and the run, 30 s at most) live
# keys of its reseller.
set -euo pipefail
# shellcheck source=reseller-common.setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/reseller-common.setup.sh"

id=$(reseller_usage_dataset)
reseller_keys_env reseller-usage-summary "$(reseller_api_keys "$id" "${RESELLER_BENCH_KEYS:-4000}")"
