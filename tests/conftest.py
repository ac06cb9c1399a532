"""Shared helpers of the cross-module tests (run by `make test`, or `pytest tests/` after it)."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PG_VARS = ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port):
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def odoodb(*args, check=True):
    """scripts/odoodb.py with the current database settings."""
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / "odoodb.py"), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=check,
    )


@pytest.fixture(scope="session")
def db_prefix():
    return os.environ.get("TEST_DB_PREFIX", "test_local")


@pytest.fixture(scope="session", autouse=True)
def _database_settings():
    """The tests talk to the server make test uses (scripts/test.sh exports PG*)."""
    missing = [name for name in PG_VARS if not os.environ.get(name)]
    if missing:
        pytest.fail(f"run through `make test` (or export {', '.join(missing)}): no database settings")
    os.environ.setdefault("PROJECT_MODULES", "capa batch_expiry recall_management gsp_compliance")
    os.environ.setdefault("ODOO_SRC", str(Path.home() / ".cache" / "odoo-src" / "18.0"))
    os.environ.setdefault("ODOO_DATA_DIR", str(Path.home() / ".cache" / "odoo-gsp" / "odoo-data"))
