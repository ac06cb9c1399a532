#!/usr/bin/env bash
# make pot: regenerate addons/<module>/i18n/<module>.pot for every module (or MODULES="capa ...")
# from a fresh database where they are installed. Existing .po files are then merged with
# msgmerge when it is available, so that new terms show up untranslated.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

use_pg --quiet

modules=${MODULES:-$PROJECT_MODULES}
db="i18n_$(printf '%s' "$REPO_DIR" | sha256sum | cut -c1-6)"
py="$VENV/bin/python"
# shellcheck disable=SC2086
"$py" "$REPO_DIR/scripts/odoodb.py" create "$db" $modules
for module in $modules; do
    mkdir -p "$REPO_DIR/addons/$module/i18n"
    pot="$REPO_DIR/addons/$module/i18n/$module.pot"
    info "Exporting $pot"
    new="${pot%.pot}.new.pot"
    "$REPO_DIR/bin/odoo" -d "$db" --i18n-export="$new" --modules="$module" --stop-after-init --no-http \
        --log-level=warn
    [ -s "$new" ] || die "exporting the terms of $module failed (see above)"
    # Keep the old file when only the export dates differ: no noise in the history.
    if [ -f "$pot" ] && diff -q <(grep -v -e '^"POT-Creation-Date' -e '^"PO-Revision-Date' "$pot") \
        <(grep -v -e '^"POT-Creation-Date' -e '^"PO-Revision-Date' "$new") >/dev/null; then
        rm -f "$new"
        continue
    fi
    mv -f "$new" "$pot"
    for po in "$REPO_DIR/addons/$module/i18n/"*.po; do
        [ -f "$po" ] || continue
        if command -v msgmerge >/dev/null 2>&1; then
            msgmerge --quiet --update --no-fuzzy-matching --backup=none "$po" "$pot"
        else
            warn "msgmerge (gettext) not installed: $po not merged with the new template"
        fi
    done
done
"$py" "$REPO_DIR/scripts/odoodb.py" drop "$db"
