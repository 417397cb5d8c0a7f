#!/usr/bin/env bash
# Lists 300 providers with varied types, countries, tiers, ratings and metrics (10 of them demo).
set -euo pipefail
types=(managed selfSetup dedicated)
countries=(Poland Germany France Netherlands Finland Canada)
for i in $(seq 1 300); do
  type=${types[$((i % 3))]}
  country=${countries[$((i % 6))]}
  demo=$([ $((i % 30)) -eq 0 ] && echo true || echo false)
  verified=$([ $((i % 4)) -eq 0 ] && echo true || echo false)
  rating=$(awk -v i="$i" 'BEGIN { printf "%.2f", 3 + (i * 37 % 200) / 100 }')
  curl -fsS -o /dev/null -X POST "$BENCH_URL/admin/providers" -H "X-Admin-Key: $BENCH_ADMIN_KEY" \
    -H 'Content-Type: application/json' -d "{
      \"slug\":\"bench-dir-$i\",\"name\":\"Directory Provider $i\",\"description\":\"Flux nodes hosted in $country\",
      \"type\":\"$type\",\"country\":\"$country\",\"verified\":$verified,\"isDemo\":$demo,\"rating\":$rating,
      \"totalNodes\":$((i * 7 % 500)),\"uptimePercentage\":99.$((i % 100)),\"acceptsFlux\":$([ $((i % 2)) -eq 0 ] && echo true || echo false),
      \"tiers\":[{\"tier\":\"cumulus\",\"price\":$((5 + i % 5)).99,\"planName\":\"C\"},{\"tier\":\"nimbus\",\"price\":$((15 + i % 7)).49,\"planName\":\"N\"}],
      \"languages\":[\"en\"],\"supportChannels\":[\"email\",\"discord\"]}"
done
