# shellcheck shell=bash
# A local PostgreSQL cluster for FluxSuite, made from nothing: installs the server from Debian when it
# is missing, initialises a cluster under .data/postgres owned by the postgres user, binds it to
# 127.0.0.1 on a fixed port and starts it. Safe to run again: every step checks before it acts.
#
# Sourced by scripts/run.sh, scripts/test.sh, scripts/cluster.sh, scripts/faults.sh and the bench scripts.
# Settings (environment):
#   FLUXSUITE_PG_PORT   port of the local cluster (default 54329)
#   FLUXSUITE_PG_DATA   data directory (default <repo>/.data/postgres)
#   FLUXSUITE_PG_HUGE_PAGES  'off' leaves the kernel's huge page pool alone (see flux_pg_huge_pages)

FLUX_ROOT=${FLUX_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
FLUX_DATA_DIR="$FLUX_ROOT/.data"
FLUX_PG_PORT=${FLUXSUITE_PG_PORT:-54329}
FLUX_PG_DATA=${FLUXSUITE_PG_DATA:-$FLUX_DATA_DIR/postgres}
FLUX_PG_USER=postgres
FLUX_PG_PASSWORD_FILE="$FLUX_DATA_DIR/postgres-password"

flux_log() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
flux_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

flux_is_root() { [ "$(id -u)" = 0 ]; }

# Runs a command as the cluster's owner: the postgres user when we are root (the server refuses to
# run as root), else ourselves. From /, since the postgres user may not be able to enter the
# checkout we are in; every path handed to it is absolute.
flux_as_owner() {
  if flux_is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

flux_pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && printf '%s' "$dir"
}

# Installs a Debian package, as root or through sudo: flux_apt_install PACKAGE "what needs it".
flux_apt_install() {
  local package=$1 what=$2 sudo=""
  flux_log "$what is not installed; installing it from Debian's packages ($package)"
  if ! flux_is_root; then
    command -v sudo >/dev/null 2>&1 || flux_die "$what is missing and installing it needs root: run 'apt-get install -y $package' as root"
    sudo="sudo -n"
  fi
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$package" >/dev/null || flux_die "apt-get could not install $package"
}

flux_pg_install() {
  if [ -n "$(flux_pg_bin)" ]; then return 0; fi
  flux_apt_install postgresql PostgreSQL
  [ -n "$(flux_pg_bin)" ] || flux_die "apt-get finished but no PostgreSQL server binaries were found under /usr/lib/postgresql"
}

flux_random_secret() {
  # URL-safe characters from the kernel's CSPRNG (default 32).
  local length=${1:-32}
  head -c $((length * 2)) /dev/urandom | base64 -w 0 | tr -d '/+=' | head -c "$length"
}

# A secret generated once and kept in .data/NAME (never committed): flux_secret NAME LENGTH. The
# operator key and the JWT signing key of scripts/run.sh and of every host of scripts/cluster.sh.
flux_secret() {
  local file="$FLUX_DATA_DIR/$1"
  if [ ! -s "$file" ]; then (umask 077; mkdir -p "$FLUX_DATA_DIR"; flux_random_secret "$2" > "$file"); fi
  cat "$file"
}

# Prepares the data directory. When the postgres user cannot reach a directory inside this checkout
# (a parent such as /root or a `mktemp -d` folder is private), the cluster lives under
# /var/lib/fluxsuite instead, .data/postgres points to it, and every later step (initdb, pg_ctl, the
# server's log and socket) uses that real path: the link itself sits where postgres cannot go.
flux_pg_prepare_dir() {
  mkdir -p "$FLUX_DATA_DIR"
  if ! flux_is_root; then
    mkdir -p "$FLUX_PG_DATA"
    chmod 700 "$FLUX_PG_DATA"
    return 0
  fi
  id postgres >/dev/null 2>&1 || flux_die "the postgres user does not exist (is the postgresql package installed?)"
  if [ -L "$FLUX_PG_DATA" ]; then
    # Left by an earlier run: work on its target.
    FLUX_PG_DATA=$(readlink -f "$FLUX_PG_DATA")
  fi
  if [ -d "$FLUX_PG_DATA" ] && flux_as_owner test -w "$FLUX_PG_DATA/"; then return 0; fi
  mkdir -p "$FLUX_PG_DATA"
  chown postgres:postgres "$FLUX_PG_DATA"
  chmod 700 "$FLUX_PG_DATA"
  if ! flux_as_owner test -w "$FLUX_PG_DATA/"; then
    local alt
    # One folder per checkout and per cluster of it (the fault suite's and the scale-out cluster's have their own).
    alt="/var/lib/fluxsuite/$(printf '%s' "$FLUX_ROOT" | sha256sum | cut -c1-12)/$(basename "$FLUX_PG_DATA")"
    flux_log "the postgres user cannot reach $FLUX_PG_DATA; keeping the cluster in $alt"
    mkdir -p "$alt"
    chown -R postgres:postgres "$(dirname "$alt")"
    chmod 700 "$alt"
    rmdir "$FLUX_PG_DATA" 2>/dev/null || true
    ln -sfn "$alt" "$FLUX_PG_DATA"
    FLUX_PG_DATA=$alt
  fi
}

flux_pg_password() {
  if [ ! -s "$FLUX_PG_PASSWORD_FILE" ]; then
    mkdir -p "$FLUX_DATA_DIR"
    (umask 077; flux_random_secret > "$FLUX_PG_PASSWORD_FILE")
  fi
  cat "$FLUX_PG_PASSWORD_FILE"
}

flux_pg_init() {
  local bin=$1
  if [ -f "$FLUX_PG_DATA/PG_VERSION" ]; then return 0; fi
  flux_log "initialising a PostgreSQL cluster in $FLUX_PG_DATA"
  local pwfile
  pwfile=$(mktemp)
  flux_pg_password > "$pwfile"
  flux_is_root && chown postgres "$pwfile"
  flux_as_owner "$bin/initdb" -D "$FLUX_PG_DATA" -U "$FLUX_PG_USER" --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null \
    || { rm -f "$pwfile"; flux_die "initdb failed"; }
  rm -f "$pwfile"
  # Loopback only; the socket lives in the data directory, so only its owner (and root) can use it.
  flux_as_owner tee -a "$FLUX_PG_DATA/postgresql.conf" >/dev/null <<CONF

# --- FluxSuite local cluster ---
listen_addresses = '127.0.0.1'
port = $FLUX_PG_PORT
unix_socket_directories = '$(readlink -f "$FLUX_PG_DATA")'
max_connections = 300
shared_buffers = 256MB
logging_collector = off
CONF
}

flux_pg_start() {
  local bin=$1 attempt
  if flux_as_owner "$bin/pg_ctl" -D "$FLUX_PG_DATA" status >/dev/null 2>&1; then
    # Running already: on the port asked for, or the caller would connect to nothing.
    local running
    running=$(sed -n 4p "$FLUX_PG_DATA/postmaster.pid" 2>/dev/null)
    [ -z "$running" ] || [ "$running" = "$FLUX_PG_PORT" ] || flux_die "the cluster in $FLUX_PG_DATA is running on port $running, not $FLUX_PG_PORT; set FLUXSUITE_PG_PORT=$running, or stop it first: $bin/pg_ctl -D $FLUX_PG_DATA stop (as its owner)"
    return 0
  fi
  flux_log "starting PostgreSQL on 127.0.0.1:$FLUX_PG_PORT"
  for attempt in 1 2 3 4 5 6; do
    # The port is given on each start (it overrides the one written at initdb), so a later run's FLUXSUITE_PG_PORT holds.
    if flux_as_owner "$bin/pg_ctl" -D "$FLUX_PG_DATA" -l "$FLUX_PG_DATA/server.log" -o "-p $FLUX_PG_PORT" -w -t 60 start >/dev/null 2>&1; then
      return 0
    fi
    # The default ports lie in the range the kernel hands out as the source ports of outgoing connections
    # (net.ipv4.ip_local_port_range, 32768-60999), so after a burst of connections (the fault suite's) one of
    # them can hold the port for a moment. Only that is worth another try.
    tail -n 5 "$FLUX_PG_DATA/server.log" | grep -q "Address already in use" || break
    [ "$attempt" -lt 6 ] && flux_log "port $FLUX_PG_PORT is in use for now; trying again in 2 s" && sleep 2
  done
  tail -n 20 "$FLUX_PG_DATA/server.log" >&2 || true
  flux_die "PostgreSQL did not start (is port $FLUX_PG_PORT taken? set FLUXSUITE_PG_PORT)"
}

# Huge pages for the cluster's shared memory, before it starts. PostgreSQL maps its shared memory
# (shared_buffers and the rest, 292 MB here) in 2 MB pages when the kernel has enough of them
# reserved (`huge_pages = try`, the default, falls back to 4 kB pages when it has not). With 4 kB
# pages every backend maps each shared buffer it touches into its own page tables, which costs a
# backend new to a buffer several times the read itself on a virtual machine; docs/performance.md
# ("Huge pages") has the numbers. As root this grows vm.nr_hugepages by what the cluster needs
# beyond the free pages (PostgreSQL 15 reports its need: shared_memory_size_in_huge_pages), so
# clusters started side by side each get theirs. The pool stays reserved until it is shrunk
# (sysctl vm.nr_hugepages=0) or the machine restarts. Without root it only says what is missing.
flux_pg_huge_pages() {
  local bin=$1 need free rsvd total short
  [ "${FLUXSUITE_PG_HUGE_PAGES:-on}" = off ] && return 0
  [ -r /proc/sys/vm/nr_hugepages ] || return 0
  need=$(flux_as_owner "$bin/postgres" -D "$FLUX_PG_DATA" -C shared_memory_size_in_huge_pages 2>/dev/null) || return 0
  case $need in ''|*[!0-9]*|0) return 0 ;; esac
  free=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo)
  rsvd=$(awk '/^HugePages_Rsvd:/ {print $2}' /proc/meminfo)
  total=$(awk '/^HugePages_Total:/ {print $2}' /proc/meminfo)
  short=$((need - (free - rsvd)))
  [ "$short" -le 0 ] && return 0
  if ! flux_is_root; then
    flux_log "PostgreSQL's shared memory will use 4 kB pages: $short more huge pages are needed (as root: sysctl -w vm.nr_hugepages=$((total + short)))"
    return 0
  fi
  sysctl -qw vm.nr_hugepages=$((total + short)) 2>/dev/null || true
  local got
  got=$(cat /proc/sys/vm/nr_hugepages)
  if [ "$got" -ge $((total + short)) ]; then
    flux_log "reserved $short huge pages (2 MB) for PostgreSQL's shared memory (vm.nr_hugepages $total -> $got)"
  else
    flux_log "the kernel gave $((got - total)) of the $short huge pages PostgreSQL's shared memory needs; it will use 4 kB pages"
  fi
}

# The size of the running cluster's shared memory mapped in huge pages, in MB (0 when it uses 4 kB pages).
flux_pg_huge_pages_mb() {
  local pid kb
  pid=$(head -n 1 "$FLUX_PG_DATA/postmaster.pid" 2>/dev/null) || { echo 0; return 0; }
  # The postmaster's mappings in 2 MB pages (smaps: each mapping's Size, then its KernelPageSize).
  kb=$(awk '/^Size:/ { size = $2 } /^KernelPageSize:/ && $2 == 2048 { kb += size } END { print kb + 0 }' \
    "/proc/$pid/smaps" 2>/dev/null)
  echo $(( ${kb:-0} / 1024 ))
}

# Connection string for a database of the local cluster.
flux_pg_connection_string() {
  printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s' \
    "$FLUX_PG_PORT" "$1" "$FLUX_PG_USER" "$(flux_pg_password)"
}

flux_psql() {
  PGPASSWORD=$(flux_pg_password) "$(flux_pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$FLUX_PG_PORT" -U "$FLUX_PG_USER" "$@"
}

flux_pg_create_database() {
  local db=$1
  if [ "$(flux_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    flux_log "creating database $db"
    flux_psql -d postgres -c "CREATE DATABASE \"$db\""
  fi
}

# Everything above, in order: after this the cluster answers on 127.0.0.1:$FLUX_PG_PORT.
flux_pg_ensure() {
  flux_pg_install
  local bin
  bin=$(flux_pg_bin)
  flux_pg_prepare_dir
  flux_pg_init "$bin"
  if ! flux_as_owner "$bin/pg_ctl" -D "$FLUX_PG_DATA" status >/dev/null 2>&1; then
    flux_pg_huge_pages "$bin"
  fi
  flux_pg_start "$bin"
}
