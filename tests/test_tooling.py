"""The project's tooling: layout and manifests, doctor, bin/odoo, docker compose, OCA wheels."""

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys

import yaml
from conftest import REPO

CHAIN = {
    "capa": ["stock", "mail"],
    "batch_expiry": ["capa", "product_expiry", "report_xlsx"],
    "recall_management": ["batch_expiry", "sale_stock", "purchase_stock", "portal", "phone_validation"],
    "gsp_compliance": ["recall_management"],
}


def test_modules_follow_the_dependency_chain():
    for module, depends in CHAIN.items():
        path = REPO / "addons" / module
        manifest = ast.literal_eval((path / "__manifest__.py").read_text())
        assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", manifest["version"]), module
        assert manifest["license"] == "LGPL-3", module
        assert sorted(manifest["depends"]) == sorted(depends), module
        for key in ("name", "summary", "category", "author", "website"):
            assert manifest.get(key), f"{module}: {key}"
        assert (path / "readme" / "DESCRIPTION.md").read_text().strip(), module
        assert re.search(r"from \. import[\s(]+test_", (path / "tests" / "__init__.py").read_text()), module


def test_odoo_and_oca_wheels_resolve_in_the_virtualenv():
    assert importlib.metadata.version("odoo") == "18.0"
    # `import odoo` is the source tree (not the namespace the OCA wheels install), and the OCA
    # add-on is importable as an Odoo add-on.
    script = (
        "import importlib.util, odoo, odoo.release;"
        "print(odoo.__file__, importlib.util.find_spec('odoo.addons.report_xlsx').origin)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    odoo_file, report_xlsx = result.stdout.split()
    assert odoo_file == os.path.join(os.environ["ODOO_SRC"], "odoo", "__init__.py")
    assert report_xlsx.endswith("site-packages/odoo/addons/report_xlsx/__init__.py")
    assert importlib.metadata.version("odoo-addon-report_xlsx").startswith("18.0.")
    assert "odoo-addon-report-xlsx>=18.0,<18.1dev" in (REPO / "requirements.txt").read_text()


def test_doctor_reports_every_piece():
    result = subprocess.run(["make", "-s", "doctor"], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    for piece in ("python", "odoo", "virtualenv", "postgresql", "chromium", "wkhtmltopdf"):
        assert re.search(rf"^  {piece} +(?!MISSING)", result.stdout, re.M), piece


def test_bin_odoo_runs_odoo_18():
    result = subprocess.run(
        [str(REPO / "bin" / "odoo"), "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Odoo Server 18.0"
    conf = (REPO / ".cache" / "odoo.conf").read_text()
    assert f"{REPO}/addons" in conf
    assert f"db_port = {os.environ['PGPORT']}" in conf


def test_docker_compose_file():
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) >= {"db", "odoo"}
    assert services["db"]["image"].startswith("postgres:")
    odoo = services["odoo"]
    assert odoo["build"]["context"] == "."
    assert "db" in odoo["depends_on"]
    assert any(str(p).endswith("8069") for p in odoo["ports"])
    assert "./addons:/mnt/extra-addons" in odoo["volumes"]
    command = " ".join(odoo["command"])
    assert "-d odoo_demo" in command
    assert "-i capa,batch_expiry,recall_management,gsp_compliance" in command
    dockerfile = (REPO / "Dockerfile").read_text()
    assert re.search(r"^FROM odoo:18\.0\b", dockerfile, re.M)
    assert "requirements.txt" in dockerfile
    # Compose interpolates "$": a literal one must be written "$$".
    for arg in odoo["command"]:
        assert "$" not in arg.replace("$$", ""), f"unescaped $ in {arg!r}"
    # The real parser too, where this machine has one (it needs no Docker engine).
    compose_cli = None
    if (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ):
        compose_cli = ["docker", "compose"]
    elif shutil.which("docker-compose"):
        compose_cli = ["docker-compose"]
    if compose_cli:
        config = subprocess.run([*compose_cli, "config", "-q"], cwd=REPO, capture_output=True, text=True)
        assert config.returncode == 0, config.stderr
