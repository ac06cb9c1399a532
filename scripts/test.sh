#!/usr/bin/env bash
# make test: see scripts/run_tests.py. Stops the throwaway PostgreSQL cluster at the end if
# this run started it.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

pg_state=$("$REPO_DIR/scripts/pg.sh" ensure)
if [ "$pg_state" = started ]; then
    # Quietly: the suite's summary line stays the last line of the output.
    trap '"$REPO_DIR/scripts/pg.sh" stop --quiet' EXIT
fi
load_pg_env
export PGHOST PGPORT PGUSER PGPASSWORD
cd "$REPO_DIR"
PYTHONPATH="$REPO_DIR/scripts${PYTHONPATH:+:$PYTHONPATH}" "$VENV/bin/python" "$REPO_DIR/scripts/run_tests.py" "$@"
