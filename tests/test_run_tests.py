"""The test driver's reading of Odoo's log: a skipped test (a browser test without Chromium)
counts as failed, a failed one is attributed to its module, errors outside tests are caught."""

import sys
from pathlib import Path

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import run_tests

# A shortened Odoo test log: a pass, a skipped browser test, a failure, an error outside tests.
LOG = (Path(__file__).parent / "data" / "odoo-test-run.log").read_text()


def test_log_reading(tmp_path):
    log = tmp_path / "odoo.log"
    log.write_text(LOG)
    tests, stray = run_tests.parse_odoo_log(log)
    assert tests == {
        ("capa", "TestInstall.test_ok"): "passed",
        ("capa", "TestWebClient.test_tour"): "skipped: Chrome browser not found",
        ("batch_expiry", "TestX.test_bad"): "failed: AssertionError: False is not true",
    }
    assert len(stray) == 2 and "odoo.sql_db" in stray[0]
    assert "demo data failed" in stray[1]


def test_skipped_counts_as_failed(tmp_path, monkeypatch):
    log = tmp_path / "odoo.log"
    log.write_text(LOG)
    results = run_tests.Results()
    monkeypatch.setattr(run_tests.odoodb, "copy", lambda *args: None)
    monkeypatch.setattr(run_tests.odoodb, "template", lambda modules: "template")
    monkeypatch.setattr(run_tests, "LOGS", tmp_path)
    monkeypatch.setattr(
        run_tests, "run_logged", lambda cmd, log_file, echo=None: log_file.write_text(LOG) and 1
    )
    run_tests.module_tests(results, ["capa", "batch_expiry", "gsp_compliance"], "test_x")
    outcome = {(group, name): passed for group, name, passed, _detail in results.rows}
    assert outcome[("module capa", "TestInstall.test_ok")] is True
    assert outcome[("module capa", "TestWebClient.test_tour")] is False
    assert outcome[("module batch_expiry", "TestX.test_bad")] is False
    assert outcome[("module gsp_compliance", "(no test ran)")] is False
    assert outcome[("module tests", "errors logged outside tests")] is False
    assert results.count() == (1, 4)


def test_missing_chromium_is_reported(monkeypatch):
    monkeypatch.setattr(run_tests.shutil, "which", lambda name: None)
    problems = [problem for problem, _fix in run_tests.browser_prerequisites()]
    assert problems == ["Chromium is not installed"]
