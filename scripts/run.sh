#!/usr/bin/env bash
# make run: Odoo with the four modules and demo data on http://localhost:$HTTP_PORT.
#
# Creates $ODOO_DB (default odoo_demo) when it does not exist, with English and Chinese (zh_CN),
# then serves it. Log in as admin / admin, or as the demo's quality manager wangli / wangli
# (Chinese interface). Ctrl-C stops Odoo and the throwaway PostgreSQL cluster if this run started it.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

use_pg

py="$VENV/bin/python"
if ! "$py" "$REPO_DIR/scripts/odoodb.py" exists "$ODOO_DB"; then
    # shellcheck disable=SC2086
    "$py" "$REPO_DIR/scripts/odoodb.py" create "$ODOO_DB" $PROJECT_MODULES --load-language zh_CN
fi

info "Odoo on http://localhost:$HTTP_PORT (database $ODOO_DB, login admin / admin, or wangli / wangli in Chinese); Ctrl-C stops it"
# Not exec: the EXIT trap must still stop PostgreSQL when Odoo ends.
"$REPO_DIR/bin/odoo" -d "$ODOO_DB" --db-filter "^${ODOO_DB}\$" --http-port "$HTTP_PORT" \
    --http-interface "${HTTP_INTERFACE:-}" ${ODOO_ARGS:-} || rc=$?
# 130 / -2: Odoo stopped by Ctrl-C, as asked.
case "${rc:-0}" in 0 | 130 | 254) exit 0 ;; *) exit "$rc" ;; esac
