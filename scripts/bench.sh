#!/usr/bin/env bash
# make bench: the performance targets (tests/bench/run_bench.py). Stops the throwaway
# PostgreSQL cluster at the end if this run started it.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

use_pg --quiet
cd "$REPO_DIR"
"$VENV/bin/python" "$REPO_DIR/tests/bench/run_bench.py" "$@"
