#!/usr/bin/env bash
# Lists 32 providers and issues each a key through the operator API; prints slug:key pairs for wrk.
set -euo pipefail
pairs=()
for i in $(seq 1 32); do
  slug="bench-push-$i"
  curl -fsS -o /dev/null -X POST "$BENCH_URL/admin/providers" -H "X-Admin-Key: $BENCH_ADMIN_KEY" \
    -H 'Content-Type: application/json' \
    -d "{\"slug\":\"$slug\",\"name\":\"Bench Push $i\",\"country\":\"Poland\",\"type\":\"managed\"}"
  key=$(curl -fsS -X POST "$BENCH_URL/admin/providers/$slug/keys" -H "X-Admin-Key: $BENCH_ADMIN_KEY" \
    | grep -o '"key":"[^"]*"' | cut -d'"' -f4)
  [ -n "$key" ] || { echo "no key in the response for $slug" >&2; exit 1; }
  pairs+=("$slug:$key")
done
echo "LISTINGS_PROVIDERS=$(IFS=,; echo "${pairs[*]}")"
