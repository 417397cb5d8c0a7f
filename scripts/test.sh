#!/usr/bin/env bash
# Runs every test of the solution against a real PostgreSQL and prints the totals as one line:
#   N passed, N failed, N skipped
# Starts the local cluster (installing PostgreSQL when missing) unless FLUXSUITE_TEST_POSTGRES already
# points at a server, and installs what the tests drive when it is missing (Debian's chromium for the page tests, docker-compose
# and nginx for the topology tests). Tests create their own databases (fluxsuite_test_*), never the run database.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Listings").
set -uo pipefail
FLUX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/postgres.sh
source "$FLUX_ROOT/scripts/lib/postgres.sh"
cd "$FLUX_ROOT"

if [ -z "${FLUXSUITE_TEST_POSTGRES:-}" ]; then
  flux_pg_ensure || exit 1
  FLUXSUITE_TEST_POSTGRES=$(flux_pg_connection_string postgres)
  export FLUXSUITE_TEST_POSTGRES
  # Databases left behind by an interrupted run (nobody connected to them any more).
  for db in $(flux_psql -d postgres -tAc "SELECT datname FROM pg_database d WHERE datname LIKE 'fluxsuite\_test\_%'
              AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)"); do
    flux_psql -d postgres -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true
  done
fi

# The page tests drive Debian's chromium (Playwright's own browser download cannot be reached here).
if [ ! -x /usr/bin/chromium ]; then
  flux_apt_install chromium "chromium (for the page tests)"
fi
# The topology tests check docker-compose.yml with Compose (no engine needed) and its nginx configuration
# with nginx -t.
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  flux_apt_install docker-compose "docker-compose (for the Compose topology test)"
fi
if [ ! -x /usr/sbin/nginx ]; then
  flux_apt_install nginx-light "nginx (for the Compose topology test)"
fi

# Each run counts only its own results, so two runs in one checkout never mix (or delete) each other's;
# the ten newest runs are kept for inspection.
RESULTS="$FLUX_ROOT/.data/test-results/$(date -u +%Y%m%dT%H%M%SZ)-$$"
mkdir -p "$RESULTS"
find "$FLUX_ROOT/.data/test-results" -mindepth 1 -maxdepth 1 ! -type d -delete
ls -1dt "$FLUX_ROOT/.data/test-results"/*/ 2>/dev/null | tail -n +11 | xargs -r rm -rf

flux_log "building and running the tests"
dotnet test FluxSuite.sln --nologo --logger "trx" --results-directory "$RESULTS" "$@"
status=$?

count() { cat "$RESULTS"/*.trx 2>/dev/null | grep -o "<UnitTestResult [^>]*outcome=\"$1\"" | wc -l | tr -d ' '; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count NotExecuted)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status without a failed test (a build error, or a test host that crashed): see above" >&2
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
