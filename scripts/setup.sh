#!/usr/bin/env bash
# make setup: everything `make run` and `make test` need, idempotent.
#
# 1. Debian/Ubuntu packages that are missing (only when root or password-less sudo).
# 2. Odoo 18.0 source in $ODOO_SRC (cloned when absent).
# 3. A virtualenv ($VENV) with Odoo's requirements, Odoo itself (editable, no deps) and the
#    project's requirements. Stamp files keyed on the requirement files' hashes make a second
#    run with nothing changed take about a second.
# PostgreSQL is started on demand by scripts/pg.sh, not here.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"


# --- 1. system packages -----------------------------------------------------------------
system_packages() {
    command -v dpkg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 || {
        warn "not a Debian/Ubuntu system: make sure libpq, the LDAP/SASL headers, PostgreSQL, Chromium and wkhtmltopdf are installed (see README.md)"
        return 0
    }
    local want=(libpq-dev libldap2-dev libsasl2-dev) missing=() p
    # Interpreter headers and venv support when the interpreter is Debian's own.
    case "$(find_python || true)" in
        /usr/bin/*) want+=(python3-dev python3-venv) ;;
    esac
    if [ -z "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
        && ! command -v initdb >/dev/null 2>&1; then
        want+=(postgresql postgresql-contrib)
    fi
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
        || command -v google-chrome >/dev/null 2>&1 || want+=(chromium)
    command -v wkhtmltopdf >/dev/null 2>&1 || want+=(wkhtmltopdf)
    # A font with Chinese glyphs: without one, wkhtmltopdf silently drops Chinese text from the
    # PDFs (recall notices, ledgers); poppler's pdftotext to check what a PDF says.
    { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; } || want+=(fonts-wqy-microhei)
    command -v pdftotext >/dev/null 2>&1 || want+=(poppler-utils)
    for p in "${want[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! can_sudo; then
        warn "missing system packages: ${missing[*]}"
        warn "install them with: sudo apt-get install --no-install-recommends ${missing[*]}"
        return 0
    fi
    info "Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq >/dev/null || warn "apt-get update failed; trying the install with the current package lists"
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed; run it yourself to see why"
}

# --- 2. Odoo source ----------------------------------------------------------------------
odoo_source() {
    if ! odoo_src_ok; then
        info "No Odoo source in $ODOO_SRC: cloning $ODOO_REPO_URL (branch $ODOO_BRANCH)"
        local parent tmp
        parent=$(dirname "$ODOO_SRC")
        mkdir -p "$parent" 2>/dev/null || die "cannot create $parent for the Odoo source"
        # Clone beside the target and move it in only when complete, so a failed or
        # interrupted clone never leaves a half tree that later runs would trust.
        tmp=$(mktemp -d "$parent/.odoo-clone.XXXXXX")
        trap 'rm -rf "$tmp"' EXIT
        if ! git clone --quiet --depth 1 --branch "$ODOO_BRANCH" "$ODOO_REPO_URL" "$tmp/odoo" 2>"$tmp/git.log"; then
            sed 's/^/    git: /' "$tmp/git.log" >&2
            rm -rf "$tmp"
            trap - EXIT
            die "$(printf '%s\n' \
                "the Odoo $ODOO_BRANCH source is missing and could not be cloned." \
                "  Looked for:  $ODOO_SRC/odoo-bin (not found)" \
                "  Tried:       git clone --depth 1 --branch $ODOO_BRANCH $ODOO_REPO_URL" \
                "  Provide it one of these ways, then run the command again:" \
                "    - with network access: just run it again (it clones by itself);" \
                "    - put an Odoo $ODOO_BRANCH Community tree (the folder holding odoo-bin) at $ODOO_SRC;" \
                "    - or point ODOO_SRC at one: make test ODOO_SRC=/path/to/odoo-$ODOO_BRANCH")"
        fi
        if [ -d "$ODOO_SRC" ]; then
            rmdir "$ODOO_SRC" 2>/dev/null || die "$ODOO_SRC exists, is not empty and holds no Odoo tree; move it away or set ODOO_SRC"
        fi
        mv "$tmp/odoo" "$ODOO_SRC"
        rm -rf "$tmp"
        trap - EXIT
    fi
    local v
    v=$(odoo_src_version)
    [ "$v" = "${ODOO_BRANCH%%-*}" ] || [ "$v" = "$ODOO_BRANCH" ] \
        || die "$ODOO_SRC holds Odoo $v, this project needs Odoo $ODOO_BRANCH"
}

# --- 3. virtualenv -----------------------------------------------------------------------
virtualenv() {
    local py
    if [ ! -x "$VENV/bin/python" ]; then
        py=$(find_python) || die "no Python 3.10-3.12 found (Odoo 18 supports these). Install one (Debian/Ubuntu: sudo apt-get install python3 python3-venv) or set PYTHON=/path/to/python3.11"
        info "Creating the virtualenv $VENV with $py"
        "$py" -m venv "$VENV" || die "could not create the virtualenv (Debian/Ubuntu: sudo apt-get install python3-venv)"
    fi
    mkdir -p "$STAMPS"
    local pip=("$VENV/bin/python" -m pip --disable-pip-version-check -q)
    local odoo_key project_key
    odoo_key=$(odoo_stamp_key)
    if [ ! -f "$STAMPS/odoo-$odoo_key" ]; then
        info "Installing Odoo's requirements into the virtualenv (a few minutes the first time)"
        PIP_CONSTRAINT="$REPO_DIR/scripts/build-constraints.txt" "${pip[@]}" install -r "$ODOO_SRC/requirements.txt" \
            || die "installing Odoo's requirements failed (see above); missing headers? run: sudo apt-get install libpq-dev libldap2-dev libsasl2-dev"
        info "Installing Odoo itself (editable, from $ODOO_SRC)"
        # compat mode: a .pth puts $ODOO_SRC on sys.path, so that `import odoo` finds the source
        # tree even though OCA wheels (odoo-addon-*) install an `odoo` namespace in site-packages.
        PIP_CONSTRAINT="$REPO_DIR/scripts/build-constraints.txt" "${pip[@]}" install --no-deps \
            --config-settings editable_mode=compat -e "$ODOO_SRC" \
            || die "installing Odoo from $ODOO_SRC failed (see above)"
        rm -f "$STAMPS"/odoo-* "$STAMPS"/project-*
        touch "$STAMPS/odoo-$odoo_key"
    fi
    project_key=$(project_stamp_key)
    if [ ! -f "$STAMPS/project-$project_key" ]; then
        info "Installing the project's requirements (requirements.txt, requirements-dev.txt)"
        # Odoo's own pins stay as they are: they are the constraints of this install. Except
        # polib: the OCA checkers (make lint) need 1.2, which keeps the 1.1 API Odoo uses.
        local constraints="$VENV/.stamps/constraints.txt"
        grep -v -i '^polib' "$ODOO_SRC/requirements.txt" >"$constraints"
        "${pip[@]}" install -c "$constraints" \
            -r "$REPO_DIR/requirements.txt" -r "$REPO_DIR/requirements-dev.txt" \
            || die "installing the project's requirements failed (see above)"
        rm -f "$STAMPS"/project-*
        touch "$STAMPS/project-$project_key"
    fi
}

system_packages
odoo_source
virtualenv
mkdir -p "$PROJECT_CACHE" "$ODOO_DATA_DIR"
info "Setup complete: Odoo $(odoo_src_version) from $ODOO_SRC, virtualenv $VENV"
