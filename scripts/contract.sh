#!/usr/bin/env bash
# Contract tests: do the server and its three OpenAPI documents agree, operation by operation?
#
# Starts the host (Release) on its own fresh database, creates the credentials and objects through the
# API (tests/contract/seed.sh), and for each document (listings, reseller live and sandbox, metering):
#   - Portman generates the requests and checks from the document (tests/contract/config.js): every
#     operation once with valid input (2xx, content type, JSON body, response schema, headers), then with
#     invalid input derived from the document's own rules, an unknown field and no credentials (the
#     documented 4xx and error body);
#   - Newman runs them through Prism in proxy mode, which validates every request and response against
#     the document;
#   - tests/contract/report.js lists each disagreement and ends with one line:
#       contract: N operations, N requests, N passed, N failed, N excepted
# The exceptions it honours, each with its reason, are in tests/contract/exceptions.json.
#
# Settings: CONTRACT_PORT (host, default 5097), CONTRACT_PROXY_PORT (first of three Prism ports, default
# 4011), CONTRACT_TIMEOUT (seconds for the whole Newman pass of a document, default 300).
set -uo pipefail
FLUX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/postgres.sh
source "$FLUX_ROOT/scripts/lib/postgres.sh"
cd "$FLUX_ROOT"

PORT=${CONTRACT_PORT:-5097}
PROXY_PORT=${CONTRACT_PROXY_PORT:-4011}
TIMEOUT=${CONTRACT_TIMEOUT:-300}
URL="http://127.0.0.1:$PORT"
WORK="$FLUX_DATA_DIR/contract"
TOOLS="$FLUX_ROOT/tests/contract"
DB=fluxsuite_contract
DOCUMENTS=(listings reseller metering)

for tool in node npm jq curl; do
  command -v "$tool" >/dev/null 2>&1 || flux_apt_install "$([ "$tool" = node ] && echo nodejs || echo "$tool")" "$tool (for the contract tests)"
done
command -v npm >/dev/null 2>&1 || flux_apt_install npm "npm (for the contract tests)"

rm -rf "$WORK"
mkdir -p "$WORK/reports"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null
  flux_psql -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# Refuses to start beside another run (or anything else) on its ports: its answers would be read as ours.
for p in "$PORT" $(seq "$PROXY_PORT" $((PROXY_PORT + 2))); do
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/"; then
    flux_die "port $p already answers (another contract run?); set CONTRACT_PORT / CONTRACT_PROXY_PORT"
  fi
done

# --- tools: Portman, Newman and Prism, at the versions package-lock.json pins -------------------------
if [ ! -d "$TOOLS/node_modules" ] || [ "$TOOLS/package-lock.json" -nt "$TOOLS/node_modules/.package-lock.json" ]; then
  flux_log "installing the contract tools (npm ci)"
  (cd "$TOOLS" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) || flux_die "npm ci failed in tests/contract"
fi

# --- database and host ---------------------------------------------------------------------------------
flux_pg_ensure || exit 1
flux_psql -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
flux_pg_create_database "$DB"
ADMIN_KEY=$(flux_random_secret 40)

flux_log "building the host (Release)"
dotnet publish src/FluxSuite.Host/FluxSuite.Host.csproj -c Release -o "$WORK/host" -v quiet -nologo >/dev/null \
  || flux_die "the host did not build"
flux_log "starting the host on $URL"
# The simulated proxy provider answers at once, so every server route can succeed within one pass.
INSTANT_UPSTREAM=()
for delay in ServerProvisioning IpRotation Restart; do
  INSTANT_UPSTREAM+=("Reseller__Simulation__${delay}__Min=00:00:00" "Reseller__Simulation__${delay}__Max=00:00:00")
done
INSTANT_UPSTREAM+=(Reseller__Servers__MinRotationInterval=00:00:00)
# One key sends the whole live (or sandbox) pass, more than the reference's 100 requests a minute since the
# webhook operations joined it; a 429 there would stand in for the answer under test. RateLimitTests cover the limit.
INSTANT_UPSTREAM+=(Reseller__RateLimit__PermitsPerWindow=100000)
env ConnectionStrings__Default="$(flux_pg_connection_string "$DB")" Admin__ApiKey="$ADMIN_KEY" \
  Metering__Jwt__SigningKey="$(flux_random_secret 64)" ASPNETCORE_ENVIRONMENT=Production Serilog__MinimumLevel__Default=Warning \
  "${INSTANT_UPSTREAM[@]}" \
  dotnet "$WORK/host/FluxSuite.Host.dll" --urls "$URL" --contentRoot "$WORK/host" > "$WORK/host.log" 2>&1 &
pids+=($!)
ready=""
for _ in $(seq 1 300); do
  if [ "$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$URL/health/ready")" = 200 ]; then ready=1; break; fi
  kill -0 "${pids[0]}" 2>/dev/null || break
  sleep 0.2
done
[ -n "$ready" ] || { tail -n 30 "$WORK/host.log" >&2; flux_die "the host did not become ready"; }

# --- documents and their validating proxies -----------------------------------------------------------
declare -A proxy
port=$PROXY_PORT
for document in "${DOCUMENTS[@]}"; do
  curl -fsS "$URL/swagger/$document/swagger.json" -o "$WORK/$document.openapi.json" || flux_die "no $document document"
  proxy[$document]="http://127.0.0.1:$port"
  "$TOOLS/node_modules/.bin/prism" proxy "$WORK/$document.openapi.json" "$URL" -h 127.0.0.1 -p "$port" \
    > "$WORK/prism-$document.log" 2>&1 &
  pids+=($!)
  port=$((port + 1))
done
for document in "${DOCUMENTS[@]}"; do
  for _ in $(seq 1 150); do
    curl -s -o /dev/null --max-time 1 "${proxy[$document]}/" && break
    sleep 0.2
  done
  curl -s -o /dev/null --max-time 1 "${proxy[$document]}/" || { tail -n 20 "$WORK/prism-$document.log" >&2; flux_die "Prism did not start for $document"; }
done

# --- seed, generate, run ----------------------------------------------------------------------------
flux_log "creating credentials and objects through the API"
CONTRACT_URL=$URL CONTRACT_ADMIN_KEY=$ADMIN_KEY CONTRACT_PROXY_LISTINGS=${proxy[listings]} \
  CONTRACT_PROXY_RESELLER=${proxy[reseller]} CONTRACT_PROXY_METERING=${proxy[metering]} \
  bash "$TOOLS/seed.sh" "$WORK" || flux_die "seeding failed"

results=()
for document in "${DOCUMENTS[@]}"; do
  flux_log "contract tests of the $document document"
  node "$TOOLS/config.js" "$document" "$WORK/$document.openapi.json" "$WORK/$document.portman.json" "$WORK/$document.portman-input.json" || exit 1
  (cd "$WORK" && "$TOOLS/node_modules/.bin/portman" -l "$WORK/$document.portman-input.json" -c "$WORK/$document.portman.json" \
    -o "$WORK/$document.postman.json" > "$WORK/portman-$document.log" 2>&1) \
    || { tail -n 20 "$WORK/portman-$document.log" >&2; flux_die "Portman could not read the $document document"; }
  timeout "$TIMEOUT" node "$TOOLS/run.js" "$WORK/$document.postman.json" "$WORK/$document.env.json" "$WORK/reports/$document.json" \
    > "$WORK/newman-$document.log" 2>&1
  [ -s "$WORK/reports/$document.json" ] || { tail -n 20 "$WORK/newman-$document.log" >&2; flux_die "Newman wrote no report for $document"; }
  results+=("$document=$WORK/reports/$document.json")
done

node "$TOOLS/report.js" "$TOOLS/exceptions.json" "${results[@]}"
