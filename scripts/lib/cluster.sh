# shellcheck shell=bash
# The local cluster of scripts/cluster.sh, as functions that bench/cluster-proof.sh reuses:
#
#   PostgreSQL (scripts/lib/postgres.sh) <- PgBouncer (transaction pooling) <- N hosts <- nginx :5088
#                                        <- the hosts' start-up step (session-level advisory lock), directly
#
# Everything it starts runs from its own configuration files and pid files under .data/cluster (never the
# system-wide /etc ones), so stopping reads those pid files and stops exactly what was started.
# Source scripts/lib/postgres.sh first. Settings (environment), every port configurable:
#   FLUXSUITE_CLUSTER_HOSTS         number of hosts (default 3)
#   FLUXSUITE_CLUSTER_PORT          nginx, the one public port on 127.0.0.1 (default 5088)
#   FLUXSUITE_CLUSTER_HOST_PORT     first host's port; host i listens on FLUXSUITE_CLUSTER_HOST_PORT+i-1 (default 5101)
#   FLUXSUITE_PGBOUNCER_PORT        PgBouncer (default 54339)
#   FLUXSUITE_PGBOUNCER_POOL        PgBouncer's server connections per database and user (default 20)
#   FLUXSUITE_CLUSTER_HOST_POOL     Npgsql's Maximum Pool Size per host, per data source (default 50)
#   FLUXSUITE_CLUSTER_DB            database (default fluxsuite, the one of scripts/run.sh)
#   FLUXSUITE_CLUSTER_MAX_FAILS     nginx max_fails per host (default 1)
#   FLUXSUITE_CLUSTER_FAIL_TIMEOUT  nginx fail_timeout per host (default 5s)
#   FLUXSUITE_PG_PORT, FLUXSUITE_PG_DATA  the PostgreSQL cluster (see scripts/lib/postgres.sh)
# Extra settings for every host are passed through the environment as usual (Serilog__..., Scheduler__...);
# names a shell cannot export (Scheduler__Jobs__<job-id> has dashes) go into the array FLUX_CLUSTER_HOST_ENV
# as KEY=VALUE words.

FLUX_CLUSTER_DIR="$FLUX_DATA_DIR/cluster"
FLUX_CLUSTER_HOSTS=${FLUXSUITE_CLUSTER_HOSTS:-3}
FLUX_CLUSTER_PORT=${FLUXSUITE_CLUSTER_PORT:-5088}
FLUX_CLUSTER_HOST_PORT=${FLUXSUITE_CLUSTER_HOST_PORT:-5101}
FLUX_PGBOUNCER_PORT=${FLUXSUITE_PGBOUNCER_PORT:-54339}
FLUX_PGBOUNCER_POOL=${FLUXSUITE_PGBOUNCER_POOL:-20}
FLUX_CLUSTER_HOST_POOL=${FLUXSUITE_CLUSTER_HOST_POOL:-50}
FLUX_CLUSTER_DB=${FLUXSUITE_CLUSTER_DB:-fluxsuite}
FLUX_CLUSTER_MAX_FAILS=${FLUXSUITE_CLUSTER_MAX_FAILS:-1}
FLUX_CLUSTER_FAIL_TIMEOUT=${FLUXSUITE_CLUSTER_FAIL_TIMEOUT:-5s}
FLUX_CLUSTER_URL="http://127.0.0.1:$FLUX_CLUSTER_PORT"
FLUX_CLUSTER_APP="$FLUX_CLUSTER_DIR/host"

flux_cluster_host_port() { printf '%s' $((FLUX_CLUSTER_HOST_PORT + $1 - 1)); }
flux_cluster_host_url() { printf 'http://127.0.0.1:%s' "$(flux_cluster_host_port "$1")"; }
flux_cluster_host_name() { printf 'host%s' "$1"; }

# Whether process $1 runs (a zombie does not: a detached host killed with -9 waits for init to reap it).
flux_proc_alive() { [ -r "/proc/$1/stat" ] && [ "$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" != Z ]; }
# Whether the process of pid file $1 is running.
flux_pid_alive() { [ -s "$1" ] && flux_proc_alive "$(cat "$1")"; }

# Installs what the cluster needs from Debian's packages when it is missing.
flux_cluster_install() {
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || flux_apt_install nginx nginx
  command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || flux_apt_install pgbouncer PgBouncer
  command -v curl >/dev/null 2>&1 || flux_apt_install curl curl
}
flux_nginx_bin() { command -v nginx 2>/dev/null || echo /usr/sbin/nginx; }
flux_pgbouncer_bin() { command -v pgbouncer 2>/dev/null || echo /usr/sbin/pgbouncer; }

# --- PostgreSQL --------------------------------------------------------------------------------------
# Starts the local cluster unless it already runs; remembers whether it was started here, so that
# `stop` leaves a server that was already running (shared with scripts/run.sh) alone.
flux_cluster_postgres_start() {
  mkdir -p "$FLUX_CLUSTER_DIR"
  flux_pg_install
  local bin
  bin=$(flux_pg_bin)
  flux_pg_prepare_dir
  flux_pg_init "$bin"
  if ! flux_as_owner "$bin/pg_ctl" -D "$FLUX_PG_DATA" status >/dev/null 2>&1; then
    flux_pg_start "$bin"
    printf '%s\n' "$FLUX_PG_DATA" > "$FLUX_CLUSTER_DIR/postgres.started"
  fi
  flux_pg_create_database "$FLUX_CLUSTER_DB"
}

# --- PgBouncer ---------------------------------------------------------------------------------------
# PgBouncer refuses to run as root, so as root it runs as the postgres user (like the server), from a
# directory that user can write: .data/cluster/pgbouncer, or, when the postgres user cannot reach the
# checkout, a folder next to the cluster's data (see flux_pg_prepare_dir).
flux_pgbouncer_dir() {
  local dir="$FLUX_CLUSTER_DIR/pgbouncer"
  if [ -L "$dir" ]; then readlink -f "$dir"; return; fi
  mkdir -p "$dir"
  if flux_is_root; then
    chown postgres:postgres "$dir"
    if ! flux_as_owner test -w "$dir/"; then
      local alt
      alt="/var/lib/fluxsuite/$(printf '%s' "$FLUX_ROOT" | sha256sum | cut -c1-12)/pgbouncer"
      mkdir -p "$alt"
      chown postgres:postgres "$alt"
      rmdir "$dir" 2>/dev/null || true
      ln -sfn "$alt" "$dir"
      dir=$alt
    fi
  fi
  printf '%s' "$dir"
}

flux_pgbouncer_start() {
  local dir
  dir=$(flux_pgbouncer_dir)
  if flux_pid_alive "$dir/pgbouncer.pid"; then return 0; fi
  # Every database of the local server; the hosts' user and password in the auth file (SCRAM towards both sides).
  (umask 077; printf '"%s" "%s"\n' "$FLUX_PG_USER" "$(flux_pg_password)" > "$dir/userlist.txt")
  cat > "$dir/pgbouncer.ini" <<INI
; Written by scripts/cluster.sh; rewritten at every start.
[databases]
* = host=127.0.0.1 port=$FLUX_PG_PORT

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $FLUX_PGBOUNCER_PORT
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
admin_users = $FLUX_PG_USER
stats_users = $FLUX_PG_USER
; A server connection is lent for one transaction: what needs a session (the hosts' start-up advisory
; lock) uses ConnectionStrings:Direct instead.
pool_mode = transaction
default_pool_size = $FLUX_PGBOUNCER_POOL
reserve_pool_size = 5
reserve_pool_timeout = 2
max_client_conn = 2000
server_idle_timeout = 60
; Npgsql sends none of these, other clients (psql options) may.
ignore_startup_parameters = extra_float_digits,options
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
log_connections = 0
log_disconnections = 0
INI
  if flux_is_root; then chown postgres:postgres "$dir/pgbouncer.ini" "$dir/userlist.txt"; fi
  flux_log "starting PgBouncer (transaction pooling, $FLUX_PGBOUNCER_POOL server connections) on 127.0.0.1:$FLUX_PGBOUNCER_PORT"
  flux_as_owner "$(flux_pgbouncer_bin)" -d "$dir/pgbouncer.ini" \
    || { tail -n 20 "$dir/pgbouncer.log" >&2 2>/dev/null; flux_die "PgBouncer did not start (is port $FLUX_PGBOUNCER_PORT taken? set FLUXSUITE_PGBOUNCER_PORT)"; }
  local _
  for _ in $(seq 1 50); do
    PGPASSWORD=$(flux_pg_password) "$(flux_pg_bin)/psql" -X -q -h 127.0.0.1 -p "$FLUX_PGBOUNCER_PORT" -U "$FLUX_PG_USER" \
      -d "$FLUX_CLUSTER_DB" -tAc 'SELECT 1' >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  tail -n 20 "$dir/pgbouncer.log" >&2 2>/dev/null
  flux_die "PgBouncer does not answer on 127.0.0.1:$FLUX_PGBOUNCER_PORT"
}

# psql on PgBouncer's admin console: flux_pgbouncer_admin "SHOW POOLS".
flux_pgbouncer_admin() {
  PGPASSWORD=$(flux_pg_password) "$(flux_pg_bin)/psql" -X -q -h 127.0.0.1 -p "$FLUX_PGBOUNCER_PORT" -U "$FLUX_PG_USER" -d pgbouncer "$@"
}

# --- hosts -------------------------------------------------------------------------------------------
flux_cluster_build() {
  flux_log "publishing the host (Release) into $FLUX_CLUSTER_APP"
  dotnet publish "$FLUX_ROOT/src/FluxSuite.Host/FluxSuite.Host.csproj" -c Release -o "$FLUX_CLUSTER_APP" -v quiet -nologo >/dev/null \
    || dotnet publish "$FLUX_ROOT/src/FluxSuite.Host/FluxSuite.Host.csproj" -c Release -o "$FLUX_CLUSTER_APP" -nologo
}

# Connection strings of every host: the modules' pool and Hangfire's through PgBouncer, the start-up step direct.
# No Reset On Close: the DISCARD ALL Npgsql sends when a connection returns to its pool would cost a round
# trip through PgBouncer for nothing (PgBouncer already never lends session state across clients in
# transaction mode, and FluxSuite sets none). Npgsql prepares no statement unless asked (Max Auto Prepare 0).
flux_cluster_pooled_connection_string() {
  printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s;No Reset On Close=true;Maximum Pool Size=%s' \
    "$FLUX_PGBOUNCER_PORT" "$FLUX_CLUSTER_DB" "$FLUX_PG_USER" "$(flux_pg_password)" "$FLUX_CLUSTER_HOST_POOL"
}

# Starts host $1 (1..N) in the background, detached from this shell; its dotnet pid in host$1.pid, its
# log in host$1.log. Does not wait for it (flux_cluster_host_wait does).
flux_cluster_host_start() {
  local i=$1 name pidfile
  name=$(flux_cluster_host_name "$i")
  pidfile="$FLUX_CLUSTER_DIR/$name.pid"
  if flux_pid_alive "$pidfile"; then return 0; fi
  [ -f "$FLUX_CLUSTER_APP/FluxSuite.Host.dll" ] || flux_die "the host is not published yet (run scripts/cluster.sh)"
  (
    export ConnectionStrings__Default ConnectionStrings__Direct Instance__Name Admin__ApiKey Metering__Jwt__SigningKey ASPNETCORE_ENVIRONMENT
    ConnectionStrings__Default=$(flux_cluster_pooled_connection_string)
    ConnectionStrings__Direct=$(flux_pg_connection_string "$FLUX_CLUSTER_DB")
    Instance__Name=$name
    Admin__ApiKey=${Admin__ApiKey:-$(flux_secret admin-key 40)}
    Metering__Jwt__SigningKey=${Metering__Jwt__SigningKey:-$(flux_secret jwt-signing-key 64)}
    ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Production}
    cd "$FLUX_CLUSTER_APP"
    # setsid: the host outlives this script and a Ctrl+C in its terminal; setsid and env exec, so $! is dotnet's pid.
    setsid env ${FLUX_CLUSTER_HOST_ENV[@]+"${FLUX_CLUSTER_HOST_ENV[@]}"} dotnet "$FLUX_CLUSTER_APP/FluxSuite.Host.dll" --urls "$(flux_cluster_host_url "$i")" --contentRoot "$FLUX_CLUSTER_APP" \
      >> "$FLUX_CLUSTER_DIR/$name.log" 2>&1 < /dev/null &
    echo $! > "$pidfile"
  )
}

# Waits (at most $2 s, default 90) until host $1 answers readiness 200.
flux_cluster_host_wait() {
  local i=$1 limit=${2:-90} name deadline
  name=$(flux_cluster_host_name "$i")
  deadline=$((SECONDS + limit))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$(flux_cluster_host_url "$i")/health/ready")" = 200 ] && return 0
    flux_pid_alive "$FLUX_CLUSTER_DIR/$name.pid" || { tail -n 20 "$FLUX_CLUSTER_DIR/$name.log" >&2; flux_die "$name exited while starting (log: $FLUX_CLUSTER_DIR/$name.log)"; }
    sleep 0.3
  done
  tail -n 20 "$FLUX_CLUSTER_DIR/$name.log" >&2
  flux_die "$name was not ready within $limit s (log: $FLUX_CLUSTER_DIR/$name.log)"
}

# Stops host $1: SIGTERM and up to $2 s (default 30) for its drain, then SIGKILL.
flux_cluster_host_stop() {
  local pidfile pid deadline
  pidfile="$FLUX_CLUSTER_DIR/$(flux_cluster_host_name "$1").pid"
  flux_pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + ${2:-30}))
  while flux_proc_alive "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  flux_proc_alive "$pid" && kill -KILL "$pid" 2>/dev/null
  rm -f "$pidfile"
}

# kill -9 of host $1 (the proof's fault); returns once the process is gone.
flux_cluster_host_kill9() {
  local pidfile pid
  pidfile="$FLUX_CLUSTER_DIR/$(flux_cluster_host_name "$1").pid"
  pid=$(cat "$pidfile")
  kill -KILL "$pid"
  while flux_proc_alive "$pid"; do sleep 0.05; done
  rm -f "$pidfile"
}

# --- nginx -------------------------------------------------------------------------------------------
# Round-robin over the hosts with passive health checks (a host that fails max_fails times within
# fail_timeout is left out for fail_timeout). Retries to the next host only for what is safe to repeat:
#   - GET, HEAD, OPTIONS, PUT, DELETE (idempotent by HTTP; FluxSuite's PUTs set a state, a repeated
#     DELETE finds nothing), on a connection error or timeout;
#   - POST and PATCH carrying X-Idempotency-Key or Idempotency-Key, also after the request was sent
#     (the host recognises the key and answers the first outcome);
#   - any other POST or PATCH only when it was never sent (connection refused): nginx does not pass a
#     request with a non-idempotent method to the next server once it reached one.
flux_nginx_write_config() {
  local i servers=""
  for i in $(seq 1 "$FLUX_CLUSTER_HOSTS"); do
    servers+="    server 127.0.0.1:$(flux_cluster_host_port "$i") max_fails=$FLUX_CLUSTER_MAX_FAILS fail_timeout=$FLUX_CLUSTER_FAIL_TIMEOUT;"$'\n'
  done
  mkdir -p "$FLUX_CLUSTER_DIR/nginx/temp"
  cat > "$FLUX_CLUSTER_DIR/nginx/nginx.conf" <<CONF
# Written by scripts/cluster.sh; rewritten at every start.
$(flux_is_root && echo "user root;  # a loopback-only development proxy; its temp files live in the checkout")
worker_processes 1;
pid $FLUX_CLUSTER_DIR/nginx/nginx.pid;
error_log $FLUX_CLUSTER_DIR/nginx/error.log warn;

events {
    worker_connections 4096;
}

http {
    client_body_temp_path $FLUX_CLUSTER_DIR/nginx/temp/body;
    proxy_temp_path $FLUX_CLUSTER_DIR/nginx/temp/proxy;
    fastcgi_temp_path $FLUX_CLUSTER_DIR/nginx/temp/fastcgi;
    uwsgi_temp_path $FLUX_CLUSTER_DIR/nginx/temp/uwsgi;
    scgi_temp_path $FLUX_CLUSTER_DIR/nginx/temp/scgi;

    # Fields separated by |: time, method, path, status, then every host tried and its status when a
    # request was passed on ("127.0.0.1:5102, 127.0.0.1:5101" and "502, 200"), seconds.
    log_format upstreams '\$msec|\$request_method|\$uri|\$status|\$upstream_addr|\$upstream_status|\$request_time';
    access_log $FLUX_CLUSTER_DIR/nginx/access.log upstreams buffer=64k flush=1s;

    # Bodies are kept (in memory up to 2 MiB) so that a request can be sent again to the next host.
    client_max_body_size 64m;
    client_body_buffer_size 2m;

    upstream fluxsuite {
$servers        keepalive 64;
    }

    # POST and PATCH with an idempotency key may be repeated on the next host.
    map "\$http_x_idempotency_key\$http_idempotency_key" \$flux_keyed {
        ""      0;
        default 1;
    }

    server {
        listen 127.0.0.1:$FLUX_CLUSTER_PORT;
        server_tokens off;

        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host \$http_host;
        proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto \$scheme;
        proxy_connect_timeout 2s;
        proxy_read_timeout 120s;
        proxy_next_upstream_tries $FLUX_CLUSTER_HOSTS;
        proxy_next_upstream_timeout 15s;

        location / {
            error_page 418 = @keyed;
            if (\$flux_keyed) {
                return 418;
            }
            proxy_next_upstream error timeout;
            proxy_pass http://fluxsuite;
        }

        location @keyed {
            proxy_next_upstream error timeout non_idempotent;
            proxy_pass http://fluxsuite;
        }
    }
}
CONF
}

flux_nginx_start() {
  local conf="$FLUX_CLUSTER_DIR/nginx/nginx.conf"
  if flux_pid_alive "$FLUX_CLUSTER_DIR/nginx/nginx.pid"; then return 0; fi
  flux_nginx_write_config
  "$(flux_nginx_bin)" -t -q -c "$conf" -e "$FLUX_CLUSTER_DIR/nginx/error.log" || flux_die "nginx refused its configuration ($conf)"
  flux_log "starting nginx on $FLUX_CLUSTER_URL (round-robin over $FLUX_CLUSTER_HOSTS hosts)"
  "$(flux_nginx_bin)" -c "$conf" -e "$FLUX_CLUSTER_DIR/nginx/error.log" \
    || { tail -n 20 "$FLUX_CLUSTER_DIR/nginx/error.log" >&2; flux_die "nginx did not start (is port $FLUX_CLUSTER_PORT taken? set FLUXSUITE_CLUSTER_PORT)"; }
}

# Stops the process of pid file $1 with signal $2, waiting at most 20 s.
flux_stop_pidfile() {
  local pidfile=$1 signal=$2 what=$3 pid deadline
  flux_pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid=$(cat "$pidfile")
  flux_log "stopping $what (pid $pid)"
  kill "-$signal" "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 20))
  while flux_proc_alive "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  flux_proc_alive "$pid" && kill -KILL "$pid" 2>/dev/null
  rm -f "$pidfile"
}

# --- the whole cluster ---------------------------------------------------------------------------------
flux_cluster_start() {
  flux_cluster_install
  flux_cluster_postgres_start
  flux_pgbouncer_start
  local i running=0
  for i in $(seq 1 "$FLUX_CLUSTER_HOSTS"); do flux_pid_alive "$FLUX_CLUSTER_DIR/$(flux_cluster_host_name "$i").pid" && running=1; done
  if [ "$running" = 1 ]; then
    # Publishing would overwrite the files of the running hosts.
    flux_log "hosts are running: reusing $FLUX_CLUSTER_APP (scripts/cluster.sh stop first to run a new build)"
  elif [ "${FLUXSUITE_CLUSTER_NO_BUILD:-}" != 1 ] || [ ! -f "$FLUX_CLUSTER_APP/FluxSuite.Host.dll" ]; then
    flux_cluster_build
  fi
  flux_log "$([ "$running" = 1 ] && echo "starting whichever of the $FLUX_CLUSTER_HOSTS hosts is not running" || echo "starting $FLUX_CLUSTER_HOSTS hosts") on ports $FLUX_CLUSTER_HOST_PORT-$(flux_cluster_host_port "$FLUX_CLUSTER_HOSTS")"
  # The first migrates the database; the others start once it is ready (they would wait on the start-up
  # lock anyway).
  flux_cluster_host_start 1
  flux_cluster_host_wait 1
  for i in $(seq 2 "$FLUX_CLUSTER_HOSTS"); do flux_cluster_host_start "$i"; done
  for i in $(seq 2 "$FLUX_CLUSTER_HOSTS"); do flux_cluster_host_wait "$i"; done
  flux_nginx_start
}

flux_cluster_stop() {
  local i pidfile
  flux_stop_pidfile "$FLUX_CLUSTER_DIR/nginx/nginx.pid" QUIT nginx
  for pidfile in "$FLUX_CLUSTER_DIR"/host*.pid; do
    [ -e "$pidfile" ] || continue
    i=$(basename "$pidfile" .pid); i=${i#host}
    flux_pid_alive "$pidfile" && flux_log "stopping host$i (pid $(cat "$pidfile"))"
    flux_cluster_host_stop "$i" &
  done
  wait
  [ -d "$FLUX_CLUSTER_DIR/pgbouncer" ] && flux_stop_pidfile "$(flux_pgbouncer_dir)/pgbouncer.pid" TERM PgBouncer
  if [ -s "$FLUX_CLUSTER_DIR/postgres.started" ]; then
    local data bin
    data=$(cat "$FLUX_CLUSTER_DIR/postgres.started")
    bin=$(flux_pg_bin)
    if flux_as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      flux_log "stopping PostgreSQL (started by scripts/cluster.sh)"
      flux_as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi
    rm -f "$FLUX_CLUSTER_DIR/postgres.started"
  fi
}

# One line per component, and which hosts answered through nginx.
flux_cluster_status() {
  local i name pidfile
  printf '%-10s %s\n' postgres "$(flux_as_owner "$(flux_pg_bin)/pg_ctl" -D "$FLUX_PG_DATA" status >/dev/null 2>&1 && echo "running on 127.0.0.1:$FLUX_PG_PORT" || echo stopped)"
  printf '%-10s %s\n' pgbouncer "$(flux_pid_alive "$FLUX_CLUSTER_DIR/pgbouncer/pgbouncer.pid" && echo "running on 127.0.0.1:$FLUX_PGBOUNCER_PORT (pid $(cat "$FLUX_CLUSTER_DIR/pgbouncer/pgbouncer.pid"))" || echo stopped)"
  for pidfile in "$FLUX_CLUSTER_DIR"/host*.pid; do
    [ -e "$pidfile" ] || continue
    name=$(basename "$pidfile" .pid); i=${name#host}
    printf '%-10s %s\n' "$name" "$(flux_pid_alive "$pidfile" && echo "running on $(flux_cluster_host_url "$i") (pid $(cat "$pidfile"))" || echo stopped)"
  done
  printf '%-10s %s\n' nginx "$(flux_pid_alive "$FLUX_CLUSTER_DIR/nginx/nginx.pid" && echo "running on $FLUX_CLUSTER_URL (pid $(cat "$FLUX_CLUSTER_DIR/nginx/nginx.pid"))" || echo stopped)"
}

# The X-Instance of $1 (default 3 × hosts) requests through nginx, counted: "host1×3 host2×3 host3×3".
flux_cluster_spread() {
  local n=${1:-$((FLUX_CLUSTER_HOSTS * 3))} _
  for _ in $(seq 1 "$n"); do
    curl -s -o /dev/null -D - --max-time 5 "$FLUX_CLUSTER_URL/health/live" | tr -d '\r' | awk 'tolower($1) == "x-instance:" { print $2 }'
  done | sort | uniq -c | awk '{ printf "%s%s×%s", sep, $2, $1; sep = " " } END { print "" }'
}
