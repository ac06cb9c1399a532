"""make setup: a missing Odoo source fails clearly and harmlessly; a second run skips the work."""

import os
import subprocess
import tempfile
from pathlib import Path

from conftest import REPO, free_port

VENV = Path(os.environ.get("VENV", REPO / ".venv"))


def make(*args, **env):
    return subprocess.run(
        ["make", "-s", *args],
        cwd=REPO,
        env=dict(os.environ, **env),
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )


def test_empty_odoo_source_without_network_fails_clearly(tmp_path):
    empty = tmp_path / "odoo-18"
    empty.mkdir()
    stamps_before = sorted(p.name for p in (VENV / ".stamps").iterdir())
    # Port 9 on loopback refuses connections: the clone fails at once, as without network.
    result = make(
        "setup", ODOO_SRC=str(empty), ODOO_REPO_URL="http://127.0.0.1:9/odoo.git", GIT_TERMINAL_PROMPT="0"
    )
    assert result.returncode != 0
    message = result.stderr
    assert f"{empty}/odoo-bin (not found)" in message
    assert "git clone --depth 1 --branch 18.0 http://127.0.0.1:9/odoo.git" in message
    assert "make test ODOO_SRC=" in message
    # Nothing left behind: the folder is still empty, no partial clone, the virtualenv untouched.
    assert list(empty.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir()] == ["odoo-18"]
    assert sorted(p.name for p in (VENV / ".stamps").iterdir()) == stamps_before

    # And the next normal run works.
    again = make("setup")
    assert again.returncode == 0, again.stderr


def test_second_setup_skips_the_bootstrap():
    result = make("setup")
    assert result.returncode == 0, result.stderr
    assert "Installing" not in result.stderr
    assert "Creating the virtualenv" not in result.stderr
    assert "Setup complete" in result.stderr


def test_throwaway_postgresql_starts_reuses_and_stops():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    # Root runs the cluster as an unprivileged user, who cannot enter root's private temp dirs.
    base = "/var/tmp" if os.geteuid() == 0 else None
    with tempfile.TemporaryDirectory(dir=base) as pg_dir:
        os.chmod(pg_dir, 0o755)  # mkdtemp makes it private; the cluster's own folder stays 0700
        env.update(TMP_PG_DIR=os.path.join(pg_dir, "pg"), TMP_PG_PORT=str(free_port()))
        pg = str(REPO / "scripts" / "pg.sh")

        def run(*args):
            return subprocess.run(
                [pg, *args], env=env, capture_output=True, text=True, timeout=120, check=False
            )

        try:
            first = run("ensure")
            assert first.returncode == 0, first.stderr
            assert first.stdout.strip() == "started"
            assert run("ensure").stdout.strip() == "reused"
            query = subprocess.run(
                [
                    "psql",
                    "-X",
                    "-At",
                    "-d",
                    "postgres",
                    "-c",
                    "select current_user, current_setting('fsync')",
                ],
                env=dict(
                    env, PGHOST="127.0.0.1", PGPORT=env["TMP_PG_PORT"], PGUSER="odoo", PGPASSWORD="odoo"
                ),
                capture_output=True,
                text=True,
                check=False,
            )
            assert query.stdout.strip() == "odoo|off", query.stderr
        finally:
            stop = run("stop")
        assert stop.returncode == 0, stop.stderr
        assert "not running" in run("status").stdout
