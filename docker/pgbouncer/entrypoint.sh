#!/bin/sh
# Writes PgBouncer's configuration from the environment, then runs it in the foreground.
#   DB_HOST, DB_PORT, DB_USER, DB_PASSWORD   the PostgreSQL server and the one user the hosts log in as
#   POOL_SIZE                                server connections per database and user (default 20)
set -eu
dir=/tmp/pgbouncer
mkdir -p "$dir"
umask 077
printf '"%s" "%s"\n' "$DB_USER" "$DB_PASSWORD" > "$dir/userlist.txt"
cat > "$dir/pgbouncer.ini" <<INI
[databases]
* = host=$DB_HOST port=${DB_PORT:-5432}

[pgbouncer]
listen_addr = 0.0.0.0
listen_port = 6432
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
admin_users = $DB_USER
stats_users = $DB_USER
pool_mode = transaction
default_pool_size = ${POOL_SIZE:-20}
reserve_pool_size = 5
reserve_pool_timeout = 2
max_client_conn = 2000
server_idle_timeout = 60
ignore_startup_parameters = extra_float_digits,options
INI
exec pgbouncer "$dir/pgbouncer.ini"
