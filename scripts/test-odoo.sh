#!/usr/bin/env bash
# make test-odoo: see scripts/odoo_suites.py. Stops the throwaway PostgreSQL cluster at the end if
# this run started it.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

use_pg --quiet
cd "$REPO_DIR"
PYTHONPATH="$REPO_DIR/scripts${PYTHONPATH:+:$PYTHONPATH}" "$VENV/bin/python" "$REPO_DIR/scripts/odoo_suites.py" "$@"
