# PostgreSQL 15 for rollback-db's integration tests; sourced by scripts/test-services.sh.
#
# Runs as the postgres user (the server refuses root) on 127.0.0.1:55432, data outside the checkout
# (the postgres user may not be able to enter it) in /var/tmp/rollback-test-postgres. Local socket
# connections are trusted; TCP connections need a password (scram-sha-256), so the tests exercise
# real password handling. Creates the role `rollback` with a random password and the database
# `rollback`, and writes $STATE/postgres.env with PG_HOST, PG_PORT, PG_USER, PG_PASSWORD,
# PG_DATABASE, PG_BIN (the folder of pg_dump/pg_restore) and PG_SUPERUSER.

PG_PORT=55432
PG_DIR=/var/tmp/rollback-test-postgres

postgres_bin() {
  local d
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

postgres_start() {
  local bin
  if ! bin=$(postgres_bin); then
    need_packages psql:postgresql
    apt-get install -y -q postgresql >/dev/null 2>&1 || true
    bin=$(postgres_bin) || { echo "no PostgreSQL server binaries found after installing postgresql" >&2; return 1; }
  fi
  mkdir -p "$PG_DIR"
  chown postgres "$PG_DIR"
  if su postgres -c "$bin/pg_isready -q -h 127.0.0.1 -p $PG_PORT" 2>/dev/null \
      && [ -f "$PG_DIR/password" ]; then
    echo "postgres already running on 127.0.0.1:$PG_PORT"
    postgres_write_env "$bin"
    return 0
  fi
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    rm -rf "$PG_DIR/data"
    head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$PG_DIR/password"
    chmod 600 "$PG_DIR/password"; chown postgres "$PG_DIR/password"
    su postgres -c "$bin/initdb -D $PG_DIR/data -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --pwfile=$PG_DIR/password -E UTF8 --locale=C.UTF-8 >$PG_DIR/initdb.log 2>&1" \
      || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  fi
  su postgres -c "$bin/pg_ctl -D $PG_DIR/data -o '-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 \
    -c fsync=off -c synchronous_commit=off -c max_connections=200' -l $PG_DIR/log -w -t 60 start" >/dev/null \
    || { echo "postgres did not start; the end of its log:" >&2; tail -n 30 "$PG_DIR/log" >&2; return 1; }
  local pw; pw=$(cat "$PG_DIR/password")
  su postgres -c "$bin/psql -q -h $PG_DIR -p $PG_PORT -U postgres -d postgres -v ON_ERROR_STOP=1" >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rollback') THEN
    CREATE ROLE rollback LOGIN CREATEDB PASSWORD '$pw';
  ELSE
    ALTER ROLE rollback PASSWORD '$pw';
  END IF;
END \$\$;
SELECT 'CREATE DATABASE rollback OWNER rollback' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'rollback')\gexec
SQL
  echo "postgres ready on 127.0.0.1:$PG_PORT: $($bin/postgres --version)"
  postgres_write_env "$bin"
}

postgres_write_env() {
  cat >"$STATE/postgres.env" <<ENV
PG_HOST=127.0.0.1
PG_PORT=$PG_PORT
PG_USER=rollback
PG_PASSWORD=$(cat "$PG_DIR/password")
PG_DATABASE=rollback
PG_BIN=$1
PG_SUPERUSER=postgres
ENV
}

postgres_stop() {
  local bin
  bin=$(postgres_bin) || return 0
  [ -f "$PG_DIR/data/postmaster.pid" ] || return 0
  su postgres -c "$bin/pg_ctl -D $PG_DIR/data -m fast -w stop" >/dev/null
}
