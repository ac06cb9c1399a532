# shellcheck shell=bash
# Shared settings and helpers for the project's scripts (sourced, never run).
#
# Every setting can be overridden from the environment or on the make command
# line (make run ODOO_DB=mydb HTTP_PORT=8070).

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export REPO_DIR

: "${ODOO_SRC:=$HOME/.cache/odoo-src/18.0}"
: "${ODOO_BRANCH:=18.0}"
: "${ODOO_REPO_URL:=https://github.com/odoo/odoo.git}"
: "${VENV:=$REPO_DIR/.venv}"
: "${PYTHON:=}"
: "${PROJECT_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/odoo-gsp}"
: "${ODOO_DATA_DIR:=$PROJECT_CACHE/odoo-data}"
: "${ODOO_DB:=odoo_demo}"
: "${HTTP_PORT:=8069}"
# Throwaway PostgreSQL cluster (used when no server is configured through PG* variables).
: "${TMP_PG_PORT:=54329}"
: "${TMP_PG_OS_USER:=odoo-pg}"
: "${TMP_PG_PASSWORD:=odoo}"
if [ "$(id -u)" = 0 ]; then
    # root's home is private (0700): the unprivileged PostgreSQL user could not reach it.
    : "${TMP_PG_DIR:=/var/tmp/odoo-gsp-pg}"
else
    : "${TMP_PG_DIR:=$PROJECT_CACHE/pg}"
fi
export ODOO_SRC ODOO_BRANCH ODOO_REPO_URL VENV PROJECT_CACHE ODOO_DATA_DIR ODOO_DB HTTP_PORT
export TMP_PG_PORT TMP_PG_OS_USER TMP_PG_PASSWORD TMP_PG_DIR

# The modules of this project, in dependency order.
PROJECT_MODULES="capa batch_expiry recall_management gsp_compliance"
export PROJECT_MODULES

if [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then
    _c_info=$'\033[1;34m' _c_warn=$'\033[1;33m' _c_err=$'\033[1;31m' _c_off=$'\033[0m'
else
    _c_info='' _c_warn='' _c_err='' _c_off=''
fi
info() { printf '%s==>%s %s\n' "$_c_info" "$_c_off" "$*" >&2; }
warn() { printf '%swarning:%s %s\n' "$_c_warn" "$_c_off" "$*" >&2; }
die() { printf '%serror:%s %s\n' "$_c_err" "$_c_off" "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# Can we install Debian packages? (root, or password-less sudo)
can_sudo() { is_root || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; }
as_root() { if is_root; then "$@"; else sudo -n "$@"; fi; }

# A Python 3.10-3.12 interpreter to build the virtualenv with.
find_python() {
    local candidates=("$PYTHON" python3.12 python3.11 python3.10 python3) p
    for p in "${candidates[@]}"; do
        [ -n "$p" ] || continue
        command -v "$p" >/dev/null 2>&1 || continue
        if "$p" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 12)))' 2>/dev/null; then
            command -v "$p"
            return 0
        fi
    done
    return 1
}

# Odoo source tree present and of the right series?
odoo_src_ok() { [ -f "$ODOO_SRC/odoo-bin" ] && [ -f "$ODOO_SRC/odoo/release.py" ]; }
odoo_src_version() {
    sed -n "s/^version_info = (\([0-9]*\), \([0-9]*\),.*/\1.\2/p" "$ODOO_SRC/odoo/release.py" 2>/dev/null
}

# sha256 of the given files' contents and of extra strings, short form.
hash_of() {
    local f
    {
        for f in "$@"; do
            if [ -f "$f" ]; then cat "$f"; else printf '%s\n' "$f"; fi
        done
    } | sha256sum | cut -c1-16
}

# The environment file written by scripts/pg.sh for the throwaway cluster.
pg_env_file() { printf '%s/env\n' "$TMP_PG_DIR"; }

# Make sure a PostgreSQL server answers and export its settings for this script and its children.
# When this call started the throwaway cluster, it is stopped again when the script exits
# (quietly with --quiet, so that a summary line stays last).
use_pg() {
    local state
    state=$("$REPO_DIR/scripts/pg.sh" ensure)
    if [ "$state" = started ]; then
        if [ "${1:-}" = --quiet ]; then
            trap '"$REPO_DIR/scripts/pg.sh" stop --quiet' EXIT
        else
            trap '"$REPO_DIR/scripts/pg.sh" stop' EXIT
        fi
    fi
    load_pg_env
    export PGHOST PGPORT PGUSER PGPASSWORD
}

# Load database connection settings: an external server named by PG* variables, or the
# throwaway cluster's settings when it was started by scripts/pg.sh.
load_pg_env() {
    if [ -z "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ] && [ -f "$(pg_env_file)" ]; then
        # shellcheck disable=SC1090
        . "$(pg_env_file)"
    fi
}

# Stamp files of `make setup`: a requirement set is installed when its stamp exists.
STAMPS="$VENV/.stamps"
odoo_stamp_key() {
    local pyver
    pyver=$("$VENV/bin/python" -c 'import sys; print(sys.version)' 2>/dev/null || echo none)
    hash_of "$ODOO_SRC/requirements.txt" "$ODOO_SRC" "$pyver" "$REPO_DIR/scripts/build-constraints.txt" \
        "editable_mode=compat"
}
project_stamp_key() {
    hash_of "$REPO_DIR/requirements.txt" "$REPO_DIR/requirements-dev.txt" "$(odoo_stamp_key)"
}
