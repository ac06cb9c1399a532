#!/usr/bin/env bash
# make doctor: what this machine has and lacks for `make run` / `make test`, with the command
# that fixes each gap. Reads only; takes a second or two. Exits non-zero when something is missing.
set -uo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

problems=0
ok() { printf '  %-12s %s\n' "$1" "$2"; }
bad() {
    printf '  %-12s MISSING: %s\n' "$1" "$2"
    printf '  %-12s fix: %s\n' "" "$3"
    problems=$((problems + 1))
}

echo "Checking what make run / make test need:"

if py=$(find_python); then
    ok python "$("$py" --version 2>&1) ($py)"
else
    bad python "Python 3.10-3.12" "sudo apt-get install python3 python3-venv (or set PYTHON=/path/to/python3.11)"
fi

if odoo_src_ok; then
    v=$(odoo_src_version)
    if [ "$v" = "$ODOO_BRANCH" ]; then
        ok odoo "Odoo $v source in $ODOO_SRC"
    else
        bad odoo "$ODOO_SRC holds Odoo $v, not $ODOO_BRANCH" "point ODOO_SRC at an Odoo $ODOO_BRANCH tree"
    fi
else
    bad odoo "no Odoo source in $ODOO_SRC" \
        "make setup (clones $ODOO_REPO_URL), or put an Odoo $ODOO_BRANCH tree there, or set ODOO_SRC=/path"
fi

if [ -x "$VENV/bin/python" ]; then
    if [ -f "$STAMPS/odoo-$(odoo_stamp_key)" ] && [ -f "$STAMPS/project-$(project_stamp_key)" ]; then
        ok virtualenv "$VENV ($("$VENV/bin/python" --version 2>&1), requirements up to date)"
        if ! "$VENV/bin/python" -c 'import websocket' 2>/dev/null; then
            bad virtualenv "websocket-client (browser tests would be skipped)" "make setup"
        fi
    else
        bad virtualenv "requirements not installed or out of date in $VENV" "make setup"
    fi
else
    bad virtualenv "no virtualenv in $VENV" "make setup"
fi

if pg=$("$REPO_DIR/scripts/pg.sh" status 2>/dev/null); then
    ok postgresql "$pg"
else
    bad postgresql "no PostgreSQL server configured and no server binaries" \
        "sudo apt-get install postgresql (make setup does it as root), or set PGHOST/PGPORT/PGUSER/PGPASSWORD"
fi

chrome=""
for c in chromium chromium-browser google-chrome; do
    command -v "$c" >/dev/null 2>&1 && { chrome=$c; break; }
done
if [ -n "$chrome" ]; then
    ok chromium "$("$chrome" --version 2>/dev/null | head -n 1) (browser tests)"
else
    bad chromium "no Chromium: browser tests would fail" "sudo apt-get install chromium (make setup does it as root)"
fi

if command -v wkhtmltopdf >/dev/null 2>&1; then
    ok wkhtmltopdf "$(wkhtmltopdf --version 2>/dev/null | head -n 1) (PDF reports)"
else
    bad wkhtmltopdf "no wkhtmltopdf: PDF reports cannot be printed" \
        "sudo apt-get install wkhtmltopdf (make setup does it as root)"
fi

if docker compose version >/dev/null 2>&1; then
    ok docker "$(docker compose version 2>/dev/null | head -n 1) (optional: docker compose up)"
else
    ok docker "compose plugin not available (optional: only for the docker compose route)"
fi

if [ "$problems" -gt 0 ]; then
    echo "$problems missing piece(s): run the fix commands above."
    exit 1
fi
echo "All set: make run / make test can start."
