#!/usr/bin/env bash
# make lint: ruff (lint + format check), pylint-odoo's Odoo checks (manifests, translations,
# SQL injection, ...), the OCA module checks (XML, CSV, manifests) and the .po checks.
# Zero findings or a non-zero exit. `scripts/lint.sh --fix` applies what ruff can fix.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
cd "$REPO_DIR"
bin="$VENV/bin"
paths=(addons tests scripts)
modules=(addons/*/__manifest__.py)
modules=("${modules[@]%/__manifest__.py}")

if [ "${1:-}" = --fix ]; then
    "$bin/ruff" format "${paths[@]}"
    "$bin/ruff" check --fix "${paths[@]}"
    exit 0
fi

status=0
step() {
    local name=$1
    shift
    info "$name"
    "$@" || { status=1; warn "$name: findings above"; }
}
step "ruff check" "$bin/ruff" check --no-cache "${paths[@]}"
step "ruff format --check" "$bin/ruff" format --no-cache --check "${paths[@]}"
step "pylint-odoo" "$bin/pylint" --rcfile=.pylintrc "${modules[@]}"
step "OCA module checks (manifest, XML, CSV)" "$bin/oca-checks-odoo-module" --no-verbose "${modules[@]}"
po_files=()
while IFS= read -r -d '' f; do po_files+=("$f"); done < <(find addons -path '*/i18n/*' \( -name '*.po' -o -name '*.pot' \) -print0)
if [ ${#po_files[@]} -gt 0 ]; then
    step "OCA translation checks (.po/.pot)" "$bin/oca-checks-po" --no-verbose "${po_files[@]}"
fi
step "shell syntax" bash -c 'for f in "$@"; do bash -n "$f" || exit 1; done' _ scripts/*.sh bin/odoo .ci/run
[ $status -eq 0 ] && info "lint: no findings"
exit $status
