#!/usr/bin/env bash
# FluxSuite as a cluster on this machine, behind one public port (http://127.0.0.1:5088 by default):
#
#   nginx :5088 (round-robin, passive health checks, retries only what is safe to repeat)
#     -> N hosts (default 3) on 5101, 5102, ... (the host published in Release, X-Instance: host1..hostN)
#       -> PgBouncer (transaction pooling) -> PostgreSQL (the local cluster of scripts/lib/postgres.sh)
#       -> PostgreSQL directly, for the start-up step's session-level advisory lock (ConnectionStrings:Direct)
#
#   scripts/cluster.sh          start (installs nginx and PgBouncer from Debian when missing; reuses what runs)
#   scripts/cluster.sh stop     stops what it started: nginx, the hosts, PgBouncer, and PostgreSQL if it was
#                               not already running before the start
#   scripts/cluster.sh status   one line per component
#
# Settings (ports, number of hosts, pool sizes): see scripts/lib/cluster.sh. Configuration files, pid files
# and logs: .data/cluster/ (host logs host<i>.log, nginx/access.log and error.log, pgbouncer/pgbouncer.log).
set -euo pipefail
FLUX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/postgres.sh
source "$FLUX_ROOT/scripts/lib/postgres.sh"
# shellcheck source=lib/cluster.sh
source "$FLUX_ROOT/scripts/lib/cluster.sh"
cd "$FLUX_ROOT"

case "${1:-start}" in
  start)
    flux_cluster_start
    cat <<MSG

  FluxSuite cluster: $FLUX_CLUSTER_HOSTS hosts behind $FLUX_CLUSTER_URL
  Through nginx   : $(flux_cluster_spread) (X-Instance of $((FLUX_CLUSTER_HOSTS * 3)) requests)
  Swagger UI      : $FLUX_CLUSTER_URL/swagger
  Jobs            : $FLUX_CLUSTER_URL/hangfire (any user name, the operator key as password)
  Admin key       : $(flux_secret admin-key 40)   (.data/admin-key unless Admin__ApiKey is set)
  Logs            : $FLUX_CLUSTER_DIR
  Stop            : scripts/cluster.sh stop

MSG
    ;;
  stop) flux_cluster_stop ;;
  status) flux_cluster_status ;;
  *) echo "usage: scripts/cluster.sh [start|stop|status]" >&2; exit 2 ;;
esac
