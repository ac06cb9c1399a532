"""`make run` serves Odoo with the four modules: /web/login answers, admin logs in over JSON-RPC,
Ctrl-C stops it. The database is created by `make run` itself, as on a fresh machine."""

import json
import os
import signal
import subprocess
import tempfile
import time
import urllib.request

import pytest
from conftest import REPO, free_port, odoodb, port_open

MODULES = ["capa", "batch_expiry", "recall_management", "gsp_compliance"]


def rpc(port, path, params):
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params, "id": 1}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        payload = json.load(response)
    assert "error" not in payload, payload.get("error")
    return payload["result"]


@pytest.fixture(scope="module")
def server(db_prefix, tmp_path_factory):
    db = f"{db_prefix}_run"
    port = free_port()
    odoodb("drop", db)
    log_path = tmp_path_factory.mktemp("run") / "make-run.log"
    env = dict(os.environ, ODOO_DB=db, HTTP_PORT=str(port))
    with open(log_path, "w") as log:
        # As a user types it; its own process group so that Ctrl-C can be sent to all of it.
        proc = subprocess.Popen(
            ["make", "-s", "run"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    status = None
    deadline = time.time() + 900  # creating the database installs the modules
    while time.time() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/web/login", timeout=10) as response:
                status, page = response.status, response.read().decode()
                break
        except OSError:
            time.sleep(2)
    if status is None:
        os.killpg(proc.pid, signal.SIGTERM)
        pytest.fail(f"make run did not serve /web/login:\n{log_path.read_text()[-3000:]}")
    yield {"db": db, "port": port, "proc": proc, "status": status, "page": page, "log": log_path}
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    odoodb("drop", db)


def test_web_login_answers(server):
    assert server["status"] == 200
    assert 'name="login"' in server["page"]


def test_admin_logs_in_over_jsonrpc(server):
    port, db = server["port"], server["db"]
    uid = rpc(port, "/jsonrpc", {"service": "common", "method": "login", "args": [db, "admin", "admin"]})
    assert uid == 2
    assert (
        rpc(port, "/jsonrpc", {"service": "common", "method": "login", "args": [db, "admin", "wrong"]})
        is False
    )
    installed = rpc(
        port,
        "/jsonrpc",
        {
            "service": "object",
            "method": "execute_kw",
            "args": [
                db, uid, "admin", "ir.module.module", "search_read",
                [[["name", "in", MODULES], ["state", "=", "installed"]]], {"fields": ["name"]},
            ],
        },
    )  # fmt: skip
    assert sorted(m["name"] for m in installed) == sorted(MODULES)
    # Demo data was loaded (make run promises a demo database).
    demo = rpc(
        port,
        "/jsonrpc",
        {
            "service": "object",
            "method": "execute_kw",
            "args": [
                db,
                uid,
                "admin",
                "ir.module.module",
                "search_count",
                [[["name", "=", "base"], ["demo", "=", True]]],
            ],
        },
    )
    assert demo == 1


def test_chinese_quality_manager_logs_in_in_chinese(server):
    """The README's second login: the demo's quality manager, whose interface is Chinese, with
    Odoo's own terms loaded (not only the modules')."""
    port, db = server["port"], server["db"]
    uid = rpc(port, "/jsonrpc", {"service": "common", "method": "login", "args": [db, "wangli", "wangli"]})
    assert uid

    def call(model, method, args, kwargs=None):
        return rpc(
            port,
            "/jsonrpc",
            {
                "service": "object",
                "method": "execute_kw",
                "args": [db, uid, "wangli", model, method, args, kwargs or {}],
            },
        )

    user = call("res.users", "read", [[uid], ["lang", "name"]])[0]
    assert (user["lang"], user["name"]) == ("zh_CN", "王丽")
    # Odoo's own menus (Inventory) and the modules' (Quality), in Chinese.
    menus = call(
        "ir.ui.menu",
        "search_read",
        [[["parent_id", "=", False]]],
        {"fields": ["name"], "context": {"lang": "zh_CN"}},
    )
    names = {menu["name"] for menu in menus}
    assert "库存" in names, names
    assert "质量" in names, names
    # The demo company works in Chinese: its contact reads Chinese, and what the modules name
    # once (the quarantine location, the sequences) is named in Chinese.
    company = call(
        "res.company", "search_read", [[["name", "=", "杭州禾济医药有限公司"]]], {"fields": ["partner_id"]}
    )
    partner = call("res.partner", "read", [[company[0]["partner_id"][0]], ["lang"]])[0]
    assert partner["lang"] == "zh_CN"
    warehouse = call(
        "stock.warehouse",
        "search_read",
        [[["company_id", "=", company[0]["id"]]]],
        {"fields": ["quarantine_location_id"]},
    )
    assert [w["quarantine_location_id"][1] for w in warehouse] == ["WH/隔离"]


def test_bin_odoo_shell_reaches_the_database(server):
    script = (
        "print('modules:', env['ir.module.module']"
        ".search_count([('name', 'in', %r), ('state', '=', 'installed')]))"
    )
    result = subprocess.run(
        [str(REPO / "bin" / "odoo"), "shell", "-d", server["db"], "--no-http"],
        input=script % MODULES,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "modules: 4" in result.stdout


def test_ctrl_c_stops_odoo(server):
    proc, port = server["proc"], server["port"]
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=90)
    except subprocess.TimeoutExpired:
        pytest.fail("make run was still running 90 s after Ctrl-C")
    assert not port_open(port), "Odoo still listens after Ctrl-C"
    # Odoo ran cleanly until Ctrl-C (a cron job cut short by the shutdown may log afterwards).
    log = server["log"].read_text()
    assert "Initiating shutdown" in log
    assert "Traceback" not in log.split("Initiating shutdown")[0]


def test_ctrl_c_also_stops_the_postgresql_that_make_run_started():
    """With no server configured, make run starts a throwaway cluster and Ctrl-C stops it again."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    base = "/var/tmp" if os.geteuid() == 0 else None  # the cluster's OS user must reach it
    with tempfile.TemporaryDirectory(dir=base) as pg_dir:
        os.chmod(pg_dir, 0o755)
        http_port = free_port()
        env.update(
            TMP_PG_DIR=os.path.join(pg_dir, "pg"), TMP_PG_PORT=str(free_port()), HTTP_PORT=str(http_port)
        )
        pg = [str(REPO / "scripts" / "pg.sh")]
        connection = dict(
            env, PGHOST="127.0.0.1", PGPORT=env["TMP_PG_PORT"], PGUSER="odoo", PGPASSWORD="odoo"
        )
        # An empty database to serve, so that make run does not spend minutes creating one;
        # then the cluster is stopped, for make run to start it itself.
        assert subprocess.run([*pg, "ensure"], env=env, capture_output=True, check=False).returncode == 0
        subprocess.run(["createdb", "empty"], env=connection, check=True)
        subprocess.run([*pg, "stop"], env=env, capture_output=True, check=True)
        proc = subprocess.Popen(
            ["make", "-s", "run", "ODOO_DB=empty"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            deadline = time.time() + 120
            while not port_open(http_port) and proc.poll() is None and time.time() < deadline:
                time.sleep(0.5)
            assert port_open(http_port), proc.stdout.read() if proc.poll() is not None else "no server"
            status = subprocess.run([*pg, "status"], env=env, capture_output=True, text=True, check=False)
            assert "throwaway cluster running" in status.stdout
            os.killpg(proc.pid, signal.SIGINT)
            output, _ = proc.communicate(timeout=90)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            subprocess.run([*pg, "stop"], env=env, capture_output=True, check=False)
        assert "Stopped the throwaway PostgreSQL cluster" in output
        status = subprocess.run([*pg, "status"], env=env, capture_output=True, text=True, check=False)
        assert "not running" in status.stdout
        assert not port_open(http_port)
