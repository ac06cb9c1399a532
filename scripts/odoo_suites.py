"""make test-odoo: Odoo's own test suites must pass with this project's modules installed.

Runs the tests of Odoo's stock, product_expiry, sale_stock, purchase_stock, stock_account and mrp
on two databases copied from the same template (every Odoo module the project's modules depend on,
plus mrp): one with the project's four modules installed, one without them (the baseline). Both
run on a fully loaded registry (scripts/odoo_full_registry.py): at_install tests too, which Odoo
would otherwise run before the modules that depend on theirs are loaded, so that our overrides
would never meet them.

Every test that passes on the baseline must pass with the modules, or be listed in
tests/odoo_suites_changed.txt with the rule of ours that changes its outcome on purpose and the
project test that shows the intended behaviour. A listed test that passes again, or that fails on
the baseline too, is reported so that the list stays true.

The baseline is cached per Odoo source, module list, test selection and runner
(~/.cache/odoo-gsp/odoo-suites/); when it is missing, both sides run at once (one per core).
Logs in .cache/test-logs/odoo-*.log. Ends with one line "N passed, N failed".
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import odoodb
from run_tests import LOGS, ODOO_QUIET_ARGS, Results, free_port, parse_odoo_log, say

REPO = odoodb.REPO
SUITES = ["stock", "product_expiry", "sale_stock", "purchase_stock", "stock_account", "mrp"]
# Odoo modules the databases hold on top of the project's dependencies.
EXTRA_MODULES = ["mrp"]
CHANGED_FILE = REPO / "tests" / "odoo_suites_changed.txt"
RUNNER = REPO / "scripts" / "odoo_full_registry.py"
CACHE = Path(os.environ.get("PROJECT_CACHE", Path.home() / ".cache" / "odoo-gsp")) / "odoo-suites"


def read_changed():
    """{test id: (rule, project test)} from the committed list (test | rule | project test)."""
    changed = {}
    for number, raw in enumerate(CHANGED_FILE.read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 3 or not all(parts):
            sys.exit(f"error: {CHANGED_FILE}:{number}: expected 'test | rule | project test', got {raw!r}")
        changed[parts[0]] = (parts[1], parts[2])
    return changed


def start_side(db, log_file):
    """Start Odoo's suites on ``db`` (fully loaded registry); returns the process."""
    tags = ",".join(f"/{module}" for module in SUITES)
    conf = REPO / ".cache" / "odoo.conf"
    cmd = [
        sys.executable,
        str(RUNNER),
        "-c",
        str(conf),
        "-d",
        db,
        "--test-enable",
        f"--test-tags={tags}",
        "--stop-after-init",
        f"--http-port={free_port()}",
        *ODOO_QUIET_ARGS,
    ]
    out = open(log_file, "w")
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ))
    proc.log, proc.started = out, time.time()
    return proc


def wait_side(proc):
    """Wait for the suites; returns their wall time in seconds."""
    proc.wait()
    proc.log.close()
    return time.time() - proc.started


def statuses(log_file):
    tests, _stray = parse_odoo_log(log_file)
    return {f"{module}:{name}": status for (module, name), status in tests.items() if module in SUITES}


def baseline_key(template):
    parts = [
        odoodb.odoo_fingerprint(),
        template,
        ",".join(SUITES),
        RUNNER.read_text(),
        " ".join(ODOO_QUIET_ARGS),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fresh-baseline", action="store_true", help="run the baseline even when cached")
    parser.add_argument(
        "--sequential",
        action="store_true",
        help="run the baseline after, not beside, the suites (for timing)",
    )
    args = parser.parse_args()
    started = time.time()
    LOGS.mkdir(parents=True, exist_ok=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    changed = read_changed()
    modules = odoodb.project_modules()
    template = odoodb.template(modules + EXTRA_MODULES)
    prefix = "odoosuites_" + hashlib.sha256(str(REPO).encode()).hexdigest()[:6]
    with_db, base_db = f"{prefix}_with", f"{prefix}_base"
    cache_file = CACHE / f"{baseline_key(template)}.json"

    say(f"Odoo's suites ({', '.join(SUITES)}) with the project's modules: database {with_db}")
    odoodb.copy(template, with_db)
    install_log = LOGS / "odoo-suites-install.log"
    if odoodb.odoo(
        "-d", with_db, "-i", ",".join(modules), "--stop-after-init", "--no-http", log_file=install_log
    ):
        sys.exit(f"error: installing the project's modules into {with_db} failed; see {install_log}")
    with_log, base_log = LOGS / "odoo-suites-with.log", LOGS / "odoo-suites-baseline.log"
    processes = {"with": start_side(with_db, with_log)}
    times = {}
    baseline = None
    if cache_file.exists() and not args.fresh_baseline:
        baseline = json.loads(cache_file.read_text())
        say(f"Baseline from the cache ({cache_file}): {baseline['seconds']:.0f}s when it ran")
    else:
        when = "after them" if args.sequential else "at the same time"
        say(f"Baseline: the same suites without the project's modules, database {base_db}, {when}")
        odoodb.copy(template, base_db)
        if args.sequential:
            times["with"] = wait_side(processes.pop("with"))
        processes["base"] = start_side(base_db, base_log)
    times.update({side: wait_side(proc) for side, proc in processes.items()})
    if baseline is None:
        baseline = {"seconds": times["base"], "tests": statuses(base_log)}
        if not baseline["tests"]:
            sys.exit(f"error: no Odoo test ran on the baseline; see {base_log}")
        cache_file.write_text(json.dumps(baseline, indent=0, sort_keys=True))
        odoodb.drop(base_db)
    with_tests = statuses(with_log)
    if not with_tests:
        sys.exit(f"error: no Odoo test ran with the modules; see {with_log}")

    results = Results()
    base_tests = baseline["tests"]
    for test, status in sorted(base_tests.items()):
        mine = with_tests.get(test, "did not run")
        if status != "passed":
            if test in changed:
                results.add("stale list", test, False, f"fails without our modules too ({status}): unlist it")
            continue
        if mine == "passed":
            if test in changed:
                results.add("stale list", test, False, "passes with our modules: unlist it")
            else:
                results.add("odoo suites", test, True)
            continue
        if test in changed:
            rule, proof = changed[test]
            results.add("changed on purpose", test, True, f"{rule}; shown by {proof}")
        else:
            results.add("odoo suites", test, False, mine)
    for test in sorted(set(changed) - set(base_tests)):
        results.add("stale list", test, False, "not in the suites any more: unlist it")
    failing_both = sum(1 for status in base_tests.values() if status != "passed")

    print()
    print("Summary")
    for group in ("odoo suites", "changed on purpose", "stale list"):
        passed, failed = results.count(group)
        if passed or failed:
            print(f"  {group:<24} {passed:>5} passed {failed:>5} failed")
    print(f"  ({failing_both} tests fail without our modules as well: not counted)")
    failures = [row for row in results.rows if not row[2]]
    for group, name, _ok, detail in failures[:60]:
        print(f"  [{group}] {name}\n      {str(detail).splitlines()[0] if detail else ''}")
    if len(failures) > 60:
        print(f"  ... and {len(failures) - 60} more (logs: {with_log})")
    print(
        f"\nWall time of the suites: {times['with']:.0f}s with the modules, "
        f"{baseline['seconds']:.0f}s without (ratio {times['with'] / baseline['seconds']:.2f})"
    )
    if args.sequential:
        print(
            "SUITES "
            + json.dumps(
                {"with_seconds": times["with"], "without_seconds": times["base"], "tests": len(with_tests)}
            )
        )
    passed, failed = results.count()
    print(f"make test-odoo took {(time.time() - started) / 60:.1f} min; logs in {LOGS}")
    print(f"{passed} passed, {failed} failed")
    if not failed:
        odoodb.drop(with_db)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
