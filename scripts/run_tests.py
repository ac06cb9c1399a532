"""make test: the whole suite, with one closing line "N passed, N failed".

1. Module tests: a fresh database, copied from the cached template of Odoo's modules, gets the
   project's modules installed with --test-enable; Odoo's test runner runs every test of
   addons/*/tests (at_install and post_install, browser tours in headless Chromium). Each test
   is counted from Odoo's log. A skipped test counts as failed: Odoo skips browser tests when
   Chromium or websocket-client is missing, and a suite that hides that proves nothing.
2. Install checks: each module installs alone (with only its dependencies) in a fresh database.
3. Cross-module tests: pytest on tests/ (server start, setup, tooling).

Logs go to .cache/test-logs/. Run with the virtualenv's Python after scripts/pg.sh ensure
(scripts/test.sh does both).
"""

import argparse
import hashlib
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import odoodb

REPO = odoodb.REPO
LOGS = REPO / ".cache" / "test-logs"
ODOO_QUIET_ARGS = ["--workers=0", "--max-cron-threads=0"]

LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>[\w.]+): (?P<msg>.*)$"
)
TEST_LOGGER = re.compile(r"^odoo\.addons\.(?P<module>\w+)\.tests\b")


class Results:
    def __init__(self):
        self.rows = []  # (group, name, passed: bool, detail)

    def add(self, group, name, passed, detail=""):
        self.rows.append((group, name, passed, detail))

    def count(self, group=None):
        rows = [r for r in self.rows if group is None or r[0] == group]
        passed = sum(1 for r in rows if r[2])
        return passed, len(rows) - passed


def say(message):
    print(f"==> {message}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browser_prerequisites():
    """What is missing for browser tests, as (problem, fix) pairs."""
    missing = []
    if not any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")):
        missing.append(
            ("Chromium is not installed", "sudo apt-get install chromium (make setup does it as root)")
        )
    if importlib.util.find_spec("websocket") is None:
        missing.append(
            ("the Python package websocket-client is missing", "make setup (requirements-dev.txt)")
        )
    return missing


def run_logged(cmd, log_file, echo=None, env=None):
    """Run ``cmd``, write its output to ``log_file``, echo lines matching ``echo``; return rc."""
    with open(log_file, "w") as out:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        for line in proc.stdout:
            out.write(line)
            if echo and echo(line):
                sys.stdout.write("    " + line)
                sys.stdout.flush()
        return proc.wait()


def parse_odoo_log(log_file):
    """Tests started, failed and skipped, and error lines outside tests, from an Odoo log."""
    tests = {}  # (module, "Class.method") -> status
    stray_errors = []
    failing = None  # the failed test whose traceback follows
    for raw in Path(log_file).read_text(errors="replace").splitlines():
        match = LINE.match(raw)
        if not match:
            # A traceback line: the first unindented one after the stack is the exception.
            if (
                failing
                and tests[failing] == "failed"
                and raw.strip()
                and not raw.startswith((" ", "Traceback"))
            ):
                tests[failing] = "failed: " + raw.strip()
            continue
        failing = None
        level, logger, msg = match["level"], match["logger"], match["msg"].rstrip()
        test_logger = TEST_LOGGER.match(logger)
        if test_logger:
            module = test_logger["module"]
            if level == "INFO" and msg.startswith("Starting ") and msg.endswith(" ..."):
                tests[(module, msg[len("Starting ") : -len(" ...")])] = "passed"
                continue
            if level == "INFO" and msg.startswith("skipped "):
                name = msg[len("skipped ") :].split(" : ")[0]
                tests[(module, name)] = "skipped: " + msg.split(" : ", 1)[-1]
                continue
            failed = re.match(r"(FAIL|ERROR): (?:Subtest )?(\S+?\.\S+?)(?:\s|$)", msg)
            if level in ("ERROR", "CRITICAL") and failed:
                failing = (module, failed[2])
                tests[failing] = "failed"
            # Other errors of a test's own loggers (its browser console, say) belong to that
            # test: Odoo's runner fails the test for them.
            continue
        # Odoo only warns when demo data fails, and installs the module without it.
        if level in ("ERROR", "CRITICAL") and logger != "odoo.tests.result" or "demo data failed" in msg:
            stray_errors.append(raw)
    return tests, stray_errors


# Odoo modules the test database has on top of the project's dependencies: recall_management
# traces lots through manufacturing when mrp is installed (mrp is not one of its dependencies).
TEST_EXTRA_MODULES = ["mrp"]


def module_tests(results, modules, prefix):
    db = f"{prefix}_all"
    log_file = LOGS / "modules.log"
    say(f"Module tests: fresh database {db} with {', '.join(modules)} (and {', '.join(TEST_EXTRA_MODULES)})")
    odoodb.copy(odoodb.template(modules + TEST_EXTRA_MODULES), db)
    tags = ",".join(f"/{m}" for m in modules)
    cmd = [
        str(odoodb.ODOO),
        "-d",
        db,
        "-i",
        ",".join(modules),
        "--test-enable",
        f"--test-tags={tags}",
        "--stop-after-init",
        f"--http-port={free_port()}",
        *ODOO_QUIET_ARGS,
    ]
    started = time.time()
    rc = run_logged(
        cmd,
        log_file,
        echo=lambda line: (
            " Starting " in line
            or " ERROR " in line
            or " CRITICAL " in line
            or "odoo.tests.result" in line
            or "odoo.tests.stats" in line
        ),
    )
    tests, stray = parse_odoo_log(log_file)
    order = {module: index for index, module in enumerate(modules)}
    for (module, name), status in sorted(
        tests.items(), key=lambda item: (order.get(item[0][0], 99), item[0])
    ):
        results.add(f"module {module}", name, status == "passed", "" if status == "passed" else status)
    for module in modules:
        if not any(m == module for m, _ in tests):
            results.add(f"module {module}", "(no test ran)", False, "every module must have tests")
    if stray:
        results.add("module tests", "errors logged outside tests", False, "\n".join(stray[:10]))
    if rc != 0 and all(status == "passed" for status in tests.values()) and not stray:
        results.add("module tests", "odoo-bin exit status", False, f"exited {rc}; see {log_file}")
    say(f"Module tests done in {time.time() - started:.0f}s (log: {log_file})")
    if all(r[2] for r in results.rows):
        odoodb.drop(db)


def install_checks(results, modules, prefix):
    project = odoodb.project_modules()
    for module in modules:
        db = f"{prefix}_alone_{module}"
        log_file = LOGS / f"install-{module}.log"
        started = time.time()
        odoodb.copy(odoodb.template([module]), db)
        rc = run_logged(
            [str(odoodb.ODOO), "-d", db, "-i", module, "--stop-after-init", "--no-http", *ODOO_QUIET_ARGS],
            log_file,
        )
        _tests, errors = parse_odoo_log(log_file)
        problem = ""
        if rc != 0 or errors:
            problem = f"exit status {rc}; " + "\n".join(errors[:5]) + f"\nlog: {log_file}"
        else:
            expected = odoodb.dependencies([module]) & set(project)
            with odoodb.cursor(db) as cr:
                cr.execute(
                    "SELECT name FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)",
                    (project,),
                )
                installed = {row[0] for row in cr.fetchall()}
            if installed != expected:
                problem = f"installed project modules {sorted(installed)}, expected {sorted(expected)}"
        results.add("install alone", module, not problem, problem)
        say(f"Install check {module}: {'ok' if not problem else 'FAILED'} ({time.time() - started:.0f}s)")
        if not problem:
            odoodb.drop(db)


def pytest_tests(results, prefix, extra):
    junit = LOGS / "pytest.xml"
    say("Cross-module tests: pytest tests/")
    env = dict(os.environ, TEST_DB_PREFIX=prefix)
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-ra",
        f"--junitxml={junit}",
        str(REPO / "tests"),
        *extra,
    ]
    rc = subprocess.run(cmd, env=env, check=False).returncode
    if not junit.exists():
        results.add("tests/", "pytest", False, f"pytest exited {rc} without a report")
        return
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = f"{case.get('classname')}.{case.get('name')}"
        bad = [child for child in case if child.tag in ("failure", "error", "skipped")]
        results.add("tests/", name, not bad, bad[0].get("message", bad[0].tag) if bad else "")
    if rc not in (0, 1):
        results.add("tests/", "pytest exit status", False, f"pytest exited {rc}")


def summary(results, elapsed):
    print()
    print("Summary")
    groups = []
    for group, *_ in results.rows:
        if group not in groups:
            groups.append(group)
    for group in groups:
        passed, failed = results.count(group)
        print(f"  {group:<32} {passed:>4} passed {failed:>4} failed")
    failures = [r for r in results.rows if not r[2]]
    if failures:
        print()
        print("Failed:")
        for group, name, _ok, detail in failures:
            print(f"  [{group}] {name}")
            for line in str(detail).splitlines()[:12]:
                print(f"      {line}")
    passed, failed = results.count()
    print(f"\nmake test took {elapsed / 60:.1f} min; logs in {LOGS}")
    print(f"{passed} passed, {failed} failed")
    return failed


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--modules",
        default=os.environ.get("TEST_MODULES") or " ".join(odoodb.project_modules()),
        help="project modules to test (default: all)",
    )
    parser.add_argument(
        "--skip",
        default=os.environ.get("TEST_SKIP", ""),
        help="comma-separated parts to leave out: modules, install, pytest (for quick local runs)",
    )
    parser.add_argument("pytest_args", nargs="*", help="extra arguments for pytest")
    args = parser.parse_args()
    modules = args.modules.replace(",", " ").split()
    skip = set(filter(None, args.skip.split(",")))
    started = time.time()
    LOGS.mkdir(parents=True, exist_ok=True)
    prefix = "test_" + hashlib.sha256(str(REPO).encode()).hexdigest()[:6]
    results = Results()

    missing = browser_prerequisites()
    for problem, fix in missing:
        results.add("prerequisites", problem, False, f"browser tests cannot run; fix: {fix}")
        print(f"error: {problem}: browser tests cannot run. Fix: {fix}", file=sys.stderr)

    if "modules" not in skip:
        module_tests(results, modules, prefix)
    if "install" not in skip:
        install_checks(results, modules, prefix)
    if "pytest" not in skip:
        pytest_tests(results, prefix, args.pytest_args)
    if skip:
        print(f"\nnote: left out on request: {', '.join(sorted(skip))}")
    sys.exit(1 if summary(results, time.time() - started) else 0)


if __name__ == "__main__":
    main()
