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
# Works, but something is lost: said, not counted as a problem.
warn() {
    printf '  %-12s WARNING: %s\n' "$1" "$2"
    printf '  %-12s fix: %s\n' "" "$3"
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
    wk=$(wkhtmltopdf --version 2>/dev/null | head -n 1)
    case "$wk" in
    *"with patched qt"*) ok wkhtmltopdf "$wk (PDF reports)" ;;
    *)
        # Debian's and Ubuntu's package is built on the distribution's Qt, which cannot lay out
        # page headers and footers: Odoo then prints PDFs without them.
        warn wkhtmltopdf "$wk is not the patched-Qt build: PDFs print without page headers and footers (no letterhead, no page numbers; recall notice letters carry the letterhead in their body)" \
            "install the wkhtmltox 0.12.6.1 package for this system from https://github.com/wkhtmltopdf/packaging/releases (the build the official odoo:18.0 image ships)"
        ;;
    esac
else
    bad wkhtmltopdf "no wkhtmltopdf: PDF reports cannot be printed" \
        "sudo apt-get install wkhtmltopdf (make setup does it as root)"
fi

# Without a font that has Chinese glyphs, wkhtmltopdf prints Chinese text (zh_CN recall notice
# letters, ledgers) as blanks or boxes, and nothing says so.
if ! command -v fc-list >/dev/null 2>&1; then
    bad cjk-font "no fontconfig (fc-list): fonts for Chinese PDFs cannot be found" \
        "sudo apt-get install fontconfig fonts-wqy-microhei (make setup does it as root)"
elif cjk=$(fc-list :lang=zh family 2>/dev/null) && [ -n "$cjk" ]; then
    cjk=${cjk%%$'\n'*}
    ok cjk-font "${cjk%%,*} (Chinese text in PDFs)"
else
    bad cjk-font "no font with Chinese glyphs: Chinese text would be missing from PDFs" \
        "sudo apt-get install fonts-wqy-microhei (make setup does it as root)"
fi

if command -v pdftotext >/dev/null 2>&1; then
    ok poppler "$(pdftotext -v 2>&1 | head -n 1) (tests read the text of PDFs)"
else
    bad poppler "no pdftotext: the PDF tests would fail" \
        "sudo apt-get install poppler-utils (make setup does it as root)"
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
