#!/usr/bin/env bash
# PostgreSQL for development and tests.
#
#   scripts/pg.sh ensure   make sure a server answers; prints "external", "reused" or "started"
#   scripts/pg.sh stop     stop the throwaway cluster (if it runs); --quiet: say nothing
#   scripts/pg.sh status   say which server would be used
#   scripts/pg.sh env      print the connection settings as shell assignments
#
# A server named by PGHOST/PGPORT/PGUSER/PGPASSWORD is used when it answers. Otherwise a
# throwaway cluster lives in $TMP_PG_DIR: it listens on 127.0.0.1:$TMP_PG_PORT only, has its
# own superuser role "odoo" (password $TMP_PG_PASSWORD) and runs with fsync off, so it is for
# development and tests, never for data you want to keep. When invoked as root it runs as the
# unprivileged OS user $TMP_PG_OS_USER (PostgreSQL refuses to run as root).
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

DATA="$TMP_PG_DIR/data"
LOG="$TMP_PG_DIR/server.log"
SOCKDIR="$TMP_PG_DIR/run"

pg_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) \
        "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")" \
        "$(pg_config --bindir 2>/dev/null || true)"; do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

external_configured() { [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ]; }

external_answers() {
    command -v psql >/dev/null 2>&1 || return 1
    PGCONNECT_TIMEOUT=3 psql -X -q -A -t -d "${PGDATABASE:-postgres}" -c 'select 1' >/dev/null 2>&1
}

# Run a command as the cluster's OS user.
as_pg() {
    if is_root; then
        (cd "$TMP_PG_DIR" && runuser -u "$TMP_PG_OS_USER" -- "$@")
    else
        (cd "$TMP_PG_DIR" && "$@")
    fi
}

cluster_running() {
    [ -f "$DATA/PG_VERSION" ] || return 1
    local bindir
    bindir=$(pg_bindir) || return 1
    as_pg "$bindir/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

write_env() {
    umask 077
    cat >"$(pg_env_file)" <<ENV
# Written by scripts/pg.sh: the throwaway PostgreSQL cluster.
export PGHOST=127.0.0.1 PGPORT=$TMP_PG_PORT PGUSER=odoo PGPASSWORD=$TMP_PG_PASSWORD
ENV
}

ensure_os_user() {
    is_root || return 0
    id -u "$TMP_PG_OS_USER" >/dev/null 2>&1 && return 0
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
        "$TMP_PG_OS_USER" >/dev/null || die "could not create the OS user $TMP_PG_OS_USER for PostgreSQL"
}

init_cluster() {
    local bindir=$1
    info "Creating a throwaway PostgreSQL cluster in $TMP_PG_DIR"
    ensure_os_user
    mkdir -p "$TMP_PG_DIR"
    chmod 700 "$TMP_PG_DIR"
    if is_root; then
        chown "$TMP_PG_OS_USER" "$TMP_PG_DIR"
        runuser -u "$TMP_PG_OS_USER" -- test -w "$TMP_PG_DIR" \
            || die "the OS user $TMP_PG_OS_USER cannot reach $TMP_PG_DIR (a parent folder is private); set TMP_PG_DIR to a folder under /var/tmp"
    fi
    rm -rf "$DATA"
    local pwfile="$TMP_PG_DIR/pwfile"
    printf '%s\n' "$TMP_PG_PASSWORD" >"$pwfile"
    is_root && chown "$TMP_PG_OS_USER" "$pwfile"
    as_pg "$bindir/initdb" -D "$DATA" -U odoo --pwfile="$pwfile" --auth-local=trust \
        --auth-host=scram-sha-256 -E UTF8 --no-locale >"$TMP_PG_DIR/initdb.log" 2>&1 \
        || { cat "$TMP_PG_DIR/initdb.log" >&2; die "initdb failed (log above)"; }
    rm -f "$pwfile"
    as_pg mkdir -p "$SOCKDIR"
    as_pg tee -a "$DATA/postgresql.conf" >/dev/null <<CONF

# --- odoo-gsp throwaway cluster: loopback only, durability off (tests and development) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCKDIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
}

cmd_ensure() {
    if external_configured; then
        if [ "${PGUSER:-}" = postgres ]; then
            die "PGUSER=postgres: Odoo refuses to connect as the 'postgres' role. Create a role for Odoo (createuser -d odoo) and set PGUSER to it, or unset the PG* variables to use a throwaway cluster."
        fi
        if external_answers; then
            echo external
            return 0
        fi
        warn "the PostgreSQL server named by PGHOST/PGPORT/PGUSER (${PGHOST:-local socket}:${PGPORT:-5432}) does not answer; using a throwaway cluster instead"
    fi
    local bindir
    bindir=$(pg_bindir) || die "no PostgreSQL server binaries (initdb, pg_ctl) found. Install them (Debian/Ubuntu: sudo apt-get install postgresql) or point PGHOST/PGPORT/PGUSER/PGPASSWORD at a running server."
    if cluster_running; then
        write_env
        echo reused
        return 0
    fi
    [ -f "$DATA/PG_VERSION" ] || init_cluster "$bindir"
    if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p "$TMP_PG_PORT"; then
        die "port $TMP_PG_PORT on 127.0.0.1 is taken by another server; choose another one: make ... TMP_PG_PORT=54330"
    fi
    as_pg mkdir -p "$SOCKDIR"
    if ! as_pg "$bindir/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 -o "-p $TMP_PG_PORT" start >/dev/null; then
        tail -n 20 "$LOG" >&2 || true
        die "the throwaway PostgreSQL cluster in $TMP_PG_DIR did not start (log: $LOG)"
    fi
    write_env
    echo started
}

cmd_stop() {
    local bindir
    bindir=$(pg_bindir) || return 0
    if cluster_running; then
        as_pg "$bindir/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
        [ "${1:-}" = --quiet ] || info "Stopped the throwaway PostgreSQL cluster"
    fi
}

cmd_status() {
    if external_configured && external_answers; then
        echo "external server ${PGHOST:-local socket}:${PGPORT:-5432} as ${PGUSER:-$USER}"
    elif cluster_running; then
        echo "throwaway cluster running on 127.0.0.1:$TMP_PG_PORT ($DATA)"
    elif pg_bindir >/dev/null; then
        echo "throwaway cluster not running (binaries: $(pg_bindir); started on demand)"
    else
        echo "no server configured and no PostgreSQL binaries"
        return 1
    fi
}

case "${1:-}" in
    ensure) cmd_ensure ;;
    stop) cmd_stop "${2:-}" ;;
    status) cmd_status ;;
    env) load_pg_env; printf 'PGHOST=%s PGPORT=%s PGUSER=%s\n' "${PGHOST:-}" "${PGPORT:-}" "${PGUSER:-}" ;;
    *) echo "usage: $0 ensure|stop|status|env" >&2; exit 2 ;;
esac
