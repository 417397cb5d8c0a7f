#!/usr/bin/env bash
# Runs FluxSuite on http://127.0.0.1:5080 from a fresh checkout with no configuration:
# a local PostgreSQL (installed and started when missing), an operator key, migrations, the host.
# With ConnectionStrings__Default set it uses that database and starts no cluster.
set -euo pipefail
FLUX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/postgres.sh
source "$FLUX_ROOT/scripts/lib/postgres.sh"
cd "$FLUX_ROOT"

URL=${FLUXSUITE_URL:-http://127.0.0.1:5080}
if command -v curl >/dev/null 2>&1 && curl -fsS -o /dev/null --max-time 2 "$URL/health/live" 2>/dev/null; then
  flux_log "FluxSuite already answers on $URL (Swagger UI: $URL/swagger)"
  exit 0
fi

if [ -z "${ConnectionStrings__Default:-}" ]; then
  flux_pg_ensure
  flux_pg_create_database fluxsuite
  ConnectionStrings__Default=$(flux_pg_connection_string fluxsuite)
  export ConnectionStrings__Default
fi

# Secrets the host needs, generated once and kept in .data/ (never committed; see flux_secret).
export Admin__ApiKey=${Admin__ApiKey:-$(flux_secret admin-key 40)}
export Metering__Jwt__SigningKey=${Metering__Jwt__SigningKey:-$(flux_secret jwt-signing-key 64)}
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}

flux_log "building the host (Release)"
dotnet build src/FluxSuite.Host/FluxSuite.Host.csproj -c Release -v quiet -nologo >/dev/null \
  || dotnet build src/FluxSuite.Host/FluxSuite.Host.csproj -c Release -nologo
OUT="$FLUX_ROOT/src/FluxSuite.Host/bin/Release/net10.0"

cat <<MSG

  FluxSuite is starting on $URL (migrations are applied at start-up)
  Providers  : $URL/providers
  Dashboard  : $URL/metering/dashboard
  Swagger UI : $URL/swagger
  Readiness  : $URL/health/ready
  Admin key  : $Admin__ApiKey   (send it as X-Admin-Key; stored in .data/admin-key unless Admin__ApiKey is set)

MSG
exec dotnet "$OUT/FluxSuite.Host.dll" --urls "$URL" --contentRoot "$OUT"
