#!/usr/bin/env bash
# Lists one provider and issues it a key through the operator API; prints the slug and key for wrk.
set -euo pipefail
slug=bench-push
curl -fsS -o /dev/null -X POST "$BENCH_URL/admin/providers" -H "X-Admin-Key: $BENCH_ADMIN_KEY" \
  -H 'Content-Type: application/json' \
  -d "{\"slug\":\"$slug\",\"name\":\"Bench Push\",\"country\":\"Poland\",\"type\":\"managed\"}"
key=$(curl -fsS -X POST "$BENCH_URL/admin/providers/$slug/keys" -H "X-Admin-Key: $BENCH_ADMIN_KEY" \
  | grep -o '"key":"[^"]*"' | cut -d'"' -f4)
[ -n "$key" ] || { echo "no key in the response" >&2; exit 1; }
echo "LISTINGS_SLUG=$slug"
echo "LISTINGS_KEY=$key"
