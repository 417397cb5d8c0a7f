#!/usr/bin/env bash
# Setup for reseller-usage-report: gateways report traffic for the plans of the usage data set
# (reseller_usage_dataset, so the duplicate check runs against 10 million stored records); prints the plans' ids.
set -euo pipefail
# shellcheck source=reseller-common.setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/reseller-common.setup.sh"

id=$(reseller_usage_dataset)
echo "RESELLER_PLAN_IDS=$($BENCH_PSQL -tAc "SELECT string_agg(id::text, ',' ORDER BY id) FROM reseller.plans WHERE reseller_id = '$id'")"
