"""gsp_compliance audit trail ledger (run in `bin/odoo shell` by run_bench.py; the data is rolled back).

4,000 audit trail entries (`GSP_BENCH_LEDGER_ENTRIES`) in the current month, on lots: changes of
dates, a product (many2one), a quarantine flag (boolean), an expiry state (selection) and a
quarantine reason, some of them in Chinese; then the audit trail ledger of the month printed as
PDF (`gsp_compliance.action_report_gsp_ledger`, wkhtmltopdf) and exported as XLSX, each timed.

The PDF is checked for text: an entry's record name and a field label must be found in the text
extracted from it (pdftotext when installed, else PyPDF2), so the ledger can be searched. Chinese
text is only searchable when a CJK font is installed (`fc-list :lang=zh`); whether one is, and
whether the Chinese reason was found, are reported and are not a target.

Prints one line: BENCH {json} with pdf_seconds, pdf_bytes, pdf_pages, searchable, cjk_font,
cjk_searchable, xlsx_seconds, xlsx_bytes, entries.
"""

import io
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from datetime import timedelta

from PyPDF2 import PdfReader  # an Odoo requirement

import odoo
from odoo import fields
from odoo.service.server import ThreadedServer

ENTRIES = int(os.environ.get("GSP_BENCH_LEDGER_ENTRIES", "4000"))
CHINESE = "封口破损，待质量部复核"

# wkhtmltopdf loads the report's style sheets from the server: `bin/odoo shell` serves none, so
# serve this database on a free local port (as `bin/odoo` does) and print through it.
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
httpd = ThreadedServer(odoo.http.root)
httpd.interface, httpd.port = "127.0.0.1", port
httpd.http_spawn()
env["ir.config_parameter"].set_param("report.url", f"http://127.0.0.1:{port}")

Log = env["gsp.audit.log"]
Log._flush_pending()
product = env["product.product"].create(
    {"name": "Bench Ledger Ampoules", "is_storable": True, "tracking": "lot"}
)
other = env["product.product"].create({"name": "Bench Ledger Vials", "is_storable": True, "tracking": "lot"})
lots = env["stock.lot"].create(
    [{"name": f"LEDGER-{i:04d}", "product_id": product.id, "company_id": env.company.id} for i in range(200)]
)
env.flush_all()
Log._flush_pending()  # the lots' creation entries
manager = env.ref("base.user_admin")
manager.groups_id += env.ref("gsp_compliance.group_gsp_manager")

start = fields.Datetime.now().replace(day=1, hour=8, minute=0, second=0, microsecond=0)
entries = []
for i in range(ENTRIES):
    lot = lots[i % len(lots)]
    kind = i % 4
    if kind == 0:
        changes = [
            {"field": "expiration_date", "old": "2031-01-01 00:00:00", "new": "2031-06-01 00:00:00"},
            {"field": "use_date", "old": "2030-10-01 00:00:00", "new": "2031-03-01 00:00:00"},
        ]
    elif kind == 1:
        changes = [
            {"field": "is_quarantined", "old": False, "new": True},
            {
                "field": "quarantine_reason",
                "old": False,
                "new": CHINESE if i % 8 == 1 else "Seal broken on arrival",
            },
        ]
    elif kind == 2:
        changes = [
            {
                "field": "product_id",
                "old": [product.id, product.display_name],
                "new": [other.id, other.display_name],
            }
        ]
    else:
        changes = [{"field": "expiry_state", "old": "valid", "new": "near_expiry"}]
    entries.append(
        {
            "model": "stock.lot",
            "res_id": lot.id,
            "record_name": lot.display_name,
            "operation": "write",
            "user_id": manager.id,
            "timestamp": fields.Datetime.to_string(start + timedelta(seconds=i * 30)),
            "changes": changes,
            "reason": "Stability data from the supplier" if kind == 0 else None,
        }
    )
Log._log(entries)
Log._flush_pending()
env.flush_all()

wizard = (
    env["gsp.ledger.wizard"]
    .with_user(manager)
    .create(
        {
            "ledger": "audit",
            "date_from": start.date(),
            "date_to": (start + timedelta(seconds=ENTRIES * 30)).date() + timedelta(days=1),
        }
    )
)
Report = env["ir.actions.report"].with_user(manager)

started = time.perf_counter()
pdf, _format = Report._render_qweb_pdf("gsp_compliance.action_report_gsp_ledger", wizard.ids)
pdf_seconds = time.perf_counter() - started

started = time.perf_counter()
xlsx, _format = Report._render("gsp_compliance.action_report_gsp_ledger_xlsx", wizard.ids)
xlsx_seconds = time.perf_counter() - started


def pdf_text(content):
    if shutil.which("pdftotext"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf_file:
            pdf_file.write(content)
            pdf_file.flush()
            return subprocess.run(
                ["pdftotext", "-enc", "UTF-8", pdf_file.name, "-"], capture_output=True, check=True
            ).stdout.decode("utf-8", "replace")
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


pages = len(PdfReader(io.BytesIO(pdf)).pages)
text = pdf_text(pdf)
compact = "".join(text.split())
fc = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
print(
    "BENCH "
    + json.dumps(
        {
            "entries": ENTRIES,
            "pdf_seconds": round(pdf_seconds, 2),
            "pdf_bytes": len(pdf),
            "pdf_pages": pages,
            "searchable": lots[7].name in text and "LEDGER-0123" in text,
            "labels": "ExpirationDate:" in compact and "expiration_date" not in compact,
            "cjk_font": bool(fc.stdout.strip()),
            "cjk_searchable": "".join(CHINESE.split()) in compact,
            "xlsx_seconds": round(xlsx_seconds, 2),
            "xlsx_bytes": len(xlsx),
        }
    )
)
env.cr.rollback()
