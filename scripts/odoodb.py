"""Databases for `make run` and `make test`, built fast from cached template databases.

Installing Odoo's own modules (stock, sale_stock, purchase_stock, ...) takes minutes; installing
this project's modules on top of them takes seconds. So the Odoo modules a project module
depends on are installed once into a template database, kept between runs, and every database
of `make run` and `make test` starts as a copy of such a template (with its filestore).

A template's name carries a key made of the Odoo source (path, release, git commit), the Odoo
modules it holds and whether it has demo data; change any of them and a new template is built.
`make clean-db` drops them all.

Usage (with the virtualenv's Python, after scripts/pg.sh ensure):
    odoodb.py create DB MODULE...       copy the template for MODULE... and install them
    odoodb.py template MODULE...        build (if needed) the template for MODULE..., print its name
    odoodb.py exists DB                 exit 0 if DB exists
    odoodb.py drop DB...                drop databases and their filestores
    odoodb.py clean                     drop every template database
"""

import argparse
import ast
import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg2
from psycopg2 import sql

REPO = Path(__file__).resolve().parent.parent
ADDONS = REPO / "addons"
ODOO = REPO / "bin" / "odoo"
TEMPLATE_PREFIX = "odoogsp_tmpl_"
TEMPLATE_DONE = "odoo-gsp template: complete"


def log(message):
    print(f"==> {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def cursor(dbname="postgres"):
    """An autocommit cursor (CREATE/DROP DATABASE refuse transactions); settings from PG*."""
    conn = psycopg2.connect(dbname=dbname)
    try:
        conn.autocommit = True
        with conn.cursor() as cr:
            yield cr
    finally:
        conn.close()


def filestore(db):
    return Path(os.environ["ODOO_DATA_DIR"]) / "filestore" / db


def project_modules():
    return os.environ.get("PROJECT_MODULES", "").split() or sorted(
        p.parent.name for p in ADDONS.glob("*/__manifest__.py")
    )


def manifest(module):
    return ast.literal_eval((ADDONS / module / "__manifest__.py").read_text())


def dependencies(modules):
    """``modules`` and every module they depend on: project modules followed through their
    manifests, Odoo modules taken as they are (Odoo installs their own dependencies)."""
    ours = set(project_modules())
    seen, todo = set(), list(modules)
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        if module in ours:
            todo.extend(manifest(module).get("depends", []))
    return seen


def odoo_dependencies(modules):
    """The Odoo (non-project) modules that ``modules`` depend on, through project modules."""
    return sorted(dependencies(modules) - set(project_modules()))


def odoo_fingerprint():
    src = Path(os.environ["ODOO_SRC"])
    parts = [str(src), (src / "odoo" / "release.py").read_text()]
    head = subprocess.run(
        ["git", "-C", str(src), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    )
    if head.returncode == 0:
        parts.append(head.stdout.strip())
    else:
        # No git metadata (an extracted archive): the tree's top-level modification times.
        parts += [str(int((src / d).stat().st_mtime)) for d in ("odoo", "addons")]
    return "\n".join(parts)


def exists(db):
    with cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,))
        return bool(cr.fetchone())


def drop(db):
    with cursor() as cr:
        cr.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid != pg_backend_pid()",
            (db,),
        )
        cr.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(db)))
    shutil.rmtree(filestore(db), ignore_errors=True)


def odoo(*args, log_file=None):
    """Run bin/odoo; its output goes to ``log_file`` (or to stderr)."""
    if log_file:
        with open(log_file, "w") as out:
            return subprocess.run(
                [str(ODOO), *args], stdout=out, stderr=subprocess.STDOUT, check=False
            ).returncode
    return subprocess.run([str(ODOO), *args], stdout=sys.stderr, check=False).returncode


def template(modules, demo=True):
    deps = odoo_dependencies(modules)
    key = hashlib.sha256("\n".join([odoo_fingerprint(), ",".join(deps), str(demo)]).encode()).hexdigest()[:12]
    name = f"{TEMPLATE_PREFIX}{key}"
    if exists(name):
        with cursor() as cr:
            cr.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (name,)
            )
            if cr.fetchone()[0] == TEMPLATE_DONE:
                return name
        log(f"Template {name} is incomplete (an earlier build was interrupted): rebuilding it")
        drop(name)
    log(f"Building template database {name} with {', '.join(deps)} (once; a few minutes)")
    args = ["-d", name, "-i", ",".join(deps), "--stop-after-init", "--no-http"]
    if not demo:
        args.append("--without-demo=all")
    log_file = REPO / ".cache" / f"{name}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    if odoo(*args, log_file=log_file) != 0:
        drop(name)
        sys.exit(f"error: building the template database {name} failed; see {log_file}")
    with cursor() as cr:
        cr.execute(sql.SQL("COMMENT ON DATABASE {} IS %s").format(sql.Identifier(name)), (TEMPLATE_DONE,))
    return name


def copy(source, target):
    drop(target)
    with cursor() as cr:
        cr.execute(
            sql.SQL("CREATE DATABASE {} ENCODING 'unicode' TEMPLATE {}").format(
                sql.Identifier(target), sql.Identifier(source)
            )
        )
    if filestore(source).exists():
        shutil.copytree(filestore(source), filestore(target))
    # A copy gets its own database UUID and secret, as Odoo's own duplicate does.
    with cursor(target) as cr:
        cr.execute(
            "UPDATE ir_config_parameter SET value = gen_random_uuid()::text"
            " WHERE key IN ('database.uuid', 'database.secret')"
        )


def clean():
    with cursor() as cr:
        cr.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", (TEMPLATE_PREFIX + "%",))
        names = [row[0] for row in cr.fetchall()]
    for name in names:
        log(f"Dropping template {name}")
        drop(name)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("create")
    p.add_argument("db")
    p.add_argument("modules", nargs="+")
    p.add_argument("--without-demo", action="store_true")
    p.add_argument("--load-language", help="languages to load too (Odoo's --load-language), e.g. zh_CN")
    p = sub.add_parser("template")
    p.add_argument("modules", nargs="+")
    p.add_argument("--without-demo", action="store_true")
    sub.add_parser("exists").add_argument("db")
    sub.add_parser("drop").add_argument("dbs", nargs="+")
    sub.add_parser("clean")
    args = parser.parse_args()

    if args.command == "template":
        print(template(args.modules, demo=not args.without_demo))
    elif args.command == "create":
        source = template(args.modules, demo=not args.without_demo)
        log(f"Creating database {args.db} from {source} and installing {', '.join(args.modules)}")
        copy(source, args.db)
        languages = ["--load-language", args.load_language] if args.load_language else []
        if (
            odoo("-d", args.db, "-i", ",".join(args.modules), *languages, "--stop-after-init", "--no-http")
            != 0
        ):
            sys.exit(f"error: installing {', '.join(args.modules)} into {args.db} failed (log above)")
    elif args.command == "exists":
        sys.exit(0 if exists(args.db) else 1)
    elif args.command == "drop":
        for db in args.dbs:
            drop(db)
    elif args.command == "clean":
        clean()


if __name__ == "__main__":
    main()
