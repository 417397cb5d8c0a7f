#!/usr/bin/env bash
# Signs up an organization through the API and creates a meter, a customer and an SDK key for the
# metering-track and metering-track-batch scenarios. Prints METER_TOKEN, CUSTOMER and API_KEY for the wrk script.
set -euo pipefail
api="$BENCH_URL/metering/api/v1"
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
post() { curl -fsS -b "$jar" -c "$jar" -H 'Content-Type: application/json' -X POST "$api$1" -d "$2"; }

suffix=$(date +%s%N)
post /auth/signup "{\"email\":\"bench-$suffix@example.com\",\"password\":\"bench-password-123\",\"organization_name\":\"Bench $suffix\"}" >/dev/null
meter=$(post /features '{"name":"API Calls","lookup_key":"api_calls","type":"meter","meter_name":"api_calls","property_name":"call_count","aggregation_type":"SUM","unit":"calls"}')
post /customers '{"name":"Acme Corp","email":"billing@acme.com","external_id":"acme-corp-001"}' >/dev/null
key=$(post /api-keys '{"name":"Bench SDK key","scopes":["usage.write"]}')
echo "METER_TOKEN=$(printf '%s' "$meter" | field meter_token)"
echo "CUSTOMER=acme-corp-001"
echo "API_KEY=$(printf '%s' "$key" | field key)"
