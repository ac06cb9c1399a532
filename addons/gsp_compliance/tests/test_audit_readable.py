# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import io
import shutil
import subprocess
import tempfile
import unittest

from odoo.api import call_kw
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import GspMixin


@tagged("post_install", "-at_install")
class TestGspAuditReadable(GspMixin, TransactionCase):
    """The audit trail for people: field labels and readable values (list, form, ledger), the
    searches by changed field and by document, the "Verify Chain" button's verdict, and the audit
    trail ledger as a searchable PDF."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            "gsp_readable_mgr",
            groups="gsp_compliance.group_gsp_manager,stock.group_production_lot",
            name="Rhea Readable",
            tz="Asia/Shanghai",
        )
        cls.quality_user = new_test_user(
            cls.env, "gsp_readable_qa", groups="capa.group_quality_user", name="Quentin Readable"
        )
        cls.saline = cls.env["product.product"].create(
            {"name": "Readable Saline", "is_storable": True, "tracking": "lot"}
        )
        cls.water = cls.env["product.product"].create(
            {"name": "Readable <b>Water</b>", "is_storable": True, "tracking": "lot"}
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "READABLE-LOT", "product_id": cls.saline.id, "company_id": cls.env.company.id}
        )
        cls.Log = cls.env["gsp.audit.log"]

    def log(self, changes, model="stock.lot", res_id=None, record_name="READABLE-LOT", **values):
        """One entry, written at once; returns it."""
        self.Log._log_now(
            [
                dict(
                    {
                        "model": model,
                        "res_id": self.lot.id if res_id is None else res_id,
                        "record_name": record_name,
                        "operation": "write",
                        "changes": changes,
                    },
                    **values,
                )
            ]
        )
        return self.Log.search([], order="id desc", limit=1)

    def lot_entry(self):
        return self.log(
            [
                {
                    "field": "product_id",
                    "old": [self.saline.id, "Readable Saline"],
                    "new": [self.water.id, "Readable <b>Water</b>"],
                },
                {"field": "expiry_state", "old": "valid", "new": "near_expiry"},
                {"field": "is_quarantined", "old": False, "new": True},
                {"field": "expiration_date", "old": False, "new": "2031-05-01 00:00:00"},
                {"field": "x_removed_field", "old": "A-1", "new": ["tag one", "tag two"]},
            ]
        )

    # --- Labels and values --------------------------------------------------------------------------
    def test_labels_and_readable_values(self):
        entry = self.lot_entry().with_user(self.manager).with_context(lang="en_US")
        self.assertEqual(
            entry._readable_changes()[entry.id],
            [
                ("Product", "Readable Saline", "Readable <b>Water</b>"),
                ("Expiry State", "Valid", "Near Expiry"),
                ("Quarantined", "No", "Yes"),
                # UTC in the trail, in the user's time zone (Shanghai, UTC+8) and date format here.
                ("Expiration Date", "", "05/01/2031 08:00:00"),
                # A field removed since: its technical name, its values as recorded.
                ("x_removed_field", "A-1", "tag one, tag two"),
            ],
        )
        # The form's table: labels and values, escaped.
        html = str(entry.changes_display)
        self.assertIn("<th>Field</th><th>Old</th><th>New</th>", html)
        self.assertIn(
            "<td>Product</td><td>Readable Saline</td><td>Readable &lt;b&gt;Water&lt;/b&gt;</td>", html
        )
        self.assertIn("<td>Quarantined</td><td>No</td><td>Yes</td>", html)
        self.assertNotIn("product_id", html)
        self.assertNotIn("near_expiry", html)
        # The list's column.
        self.assertEqual(
            entry.changes_text,
            "Product: Readable Saline → Readable <b>Water</b>; Expiry State: Valid → Near Expiry;"
            " Quarantined: No → Yes; Expiration Date:  → 05/01/2031 08:00:00;"
            " x_removed_field: A-1 → tag one, tag two",
        )
        self.assertEqual(
            entry.changed_field, "Product, Expiry State, Quarantined, Expiration Date, x_removed_field"
        )
        self.assertEqual(entry.model_description, self.env["ir.model"]._get("stock.lot").name)

    def test_a_real_change_a_removed_model_and_raw_text(self):
        self.lot.write({"expiration_date": "2032-03-04 10:00:00"})
        self.flush_audit()
        real = self.Log.with_user(self.manager).search(
            [
                ("model", "=", "stock.lot"),
                ("res_id", "=", self.lot.id),
                ("changed_field", "=", "expiration_date"),
            ]
        )
        self.assertEqual(len(real), 1)
        rows = {label: (old, new) for label, old, new in real._readable_changes()[real.id]}
        self.assertEqual(rows["Expiration Date"], ("", "03/04/2032 18:00:00"))
        removed = self.log([{"field": "name", "old": "old", "new": False}], model="x_gone.model")
        self.assertEqual(removed._readable_changes()[removed.id], [("name", "old", "")])
        self.assertEqual(removed.model_description, "x_gone.model")
        raw = self.log('{"not": "a list"}')
        self.assertEqual(raw._readable_changes()[raw.id], [("", "", '{"not": "a list"}')])
        self.assertEqual(raw.changes_text, '{"not": "a list"}')
        # A signature names its meaning, not a field of the signed record.
        signed = self.log([{"field": "meaning", "old": None, "new": "approved"}], operation="signature")
        label, old, new = signed._readable_changes()[signed.id][0]
        meaning = self.env["gsp.signature"]._fields["meaning"]
        self.assertEqual((label, old), (meaning.string, ""))
        self.assertEqual(new, dict(meaning.selection)["approved"])

    def test_labels_and_values_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["batch_expiry"], ["zh_CN"], overwrite=True)
        entry = self.lot_entry().with_user(self.manager).with_context(lang="zh_CN")
        rows = entry._readable_changes()[entry.id]
        self.assertEqual(rows[1], ("效期状态", "有效", "近效期"))
        self.assertEqual(rows[2], ("已隔离", "否", "是"))
        self.assertIn("效期状态：有效 → 近效期", entry.changes_text)
        found = (
            self.Log.with_user(self.manager)
            .with_context(lang="zh_CN")
            .search([("changed_field", "ilike", "效期状态"), ("id", "=", entry.id)])
        )
        self.assertEqual(found, entry)

    # --- Searching ----------------------------------------------------------------------------------
    def test_search_by_changed_field_and_by_document(self):
        dated = self.log([{"field": "expiration_date", "old": False, "new": "2031-01-01 00:00:00"}])
        moved = self.log([{"field": "product_id", "old": False, "new": [self.saline.id, "Readable Saline"]}])
        legacy = self.log([{"field": "x_legacy_code", "old": "L1", "new": "L2"}])
        other_record = self.log(
            [{"field": "product_id", "old": False, "new": [self.water.id, "W"]}], res_id=self.lot.id + 1000
        )
        mine = [("id", "in", (dated | moved | legacy | other_record).ids)]
        Log = self.Log.with_user(self.manager).with_context(lang="en_US")

        def search(*domain):
            return Log.search(mine + list(domain))

        self.assertEqual(search(("changed_field", "ilike", "expiration da")), dated, "by label")
        self.assertEqual(search(("changed_field", "ilike", "expiration_date")), dated, "by technical name")
        self.assertEqual(search(("changed_field", "=", "Product")), moved | other_record, "the exact label")
        self.assertEqual(search(("changed_field", "ilike", "x_legacy_code")), legacy, "a removed field")
        self.assertEqual(search(("changed_field", "not ilike", "product")), dated | legacy)
        self.assertFalse(search(("changed_field", "ilike", "no such field anywhere")))
        # By record: the document type (its name or model) and the record's ID.
        lot_entries = dated | moved | legacy | other_record
        self.assertEqual(search(("model_description", "ilike", "Lot/Serial")), lot_entries)
        self.assertEqual(search(("model_description", "ilike", "stock.lot")), lot_entries)
        self.assertFalse(search(("model_description", "ilike", "Sales Order")))
        self.assertEqual(search(("res_id", "=", self.lot.id)), dated | moved | legacy)
        # The search view offers them.
        arch = Log.get_view(view_type="search")["arch"]
        for name in ("changed_field", "model_description", "res_id", "record_name"):
            self.assertIn(f'name="{name}"', arch)

    # --- Verify Chain -------------------------------------------------------------------------------
    def verify_as_the_list(self, ids):
        """The list's header button: the selected entries (or none) are the method's records."""
        action = call_kw(self.Log.with_user(self.manager), "action_verify_chain", [ids], {})
        self.assertEqual(
            (action["type"], action["res_model"], action["target"], action["views"]),
            ("ir.actions.act_window", "gsp.audit.verification", "new", [(False, "form")]),
        )
        self.assertEqual(action["name"], "Audit Trail Verification")
        return self.env["gsp.audit.verification"].browse(action["res_id"])

    def test_verify_button_says_intact_with_or_without_a_selection(self):
        entry = self.lot_entry()
        total = self.Log.sudo().search_count([])
        for ids in ([], entry.ids, self.Log.search([], limit=3).ids):
            verification = self.verify_as_the_list(ids)
            self.assertTrue(verification.ok)
            self.assertEqual(verification.entry_count, total)
            self.assertEqual(verification.summary, f"Audit trail verified: {total} entries, chain intact.")
        # The dialog shows the summary, and a Close button.
        arch = self.env["gsp.audit.verification"].get_view(view_type="form")["arch"]
        self.assertIn('name="summary"', arch)
        self.assertIn('special="cancel"', arch)

    def test_verify_button_names_the_broken_entry(self):
        entry = self.lot_entry()
        cr = self.env.cr
        cr.execute("ALTER TABLE gsp_audit_log DISABLE TRIGGER gsp_audit_log_append_only")
        cr.execute("UPDATE gsp_audit_log SET reason = 'tampered' WHERE id = %s", (entry.id,))
        cr.execute("ALTER TABLE gsp_audit_log ENABLE TRIGGER gsp_audit_log_append_only")
        self.Log.invalidate_model()
        for ids in ([], entry.ids):
            verification = self.verify_as_the_list(ids)
            self.assertFalse(verification.ok)
            self.assertEqual(verification.broken_entry_id, entry.id)
            self.assertIn(f"Audit trail BROKEN at entry #{entry.id}", verification.summary)

    def test_verify_button_is_for_gsp_managers(self):
        with self.assertRaisesRegex(AccessError, "Only GSP managers"):
            call_kw(self.Log.with_user(self.quality_user), "action_verify_chain", [[]], {})
        self.assertFalse(self.env["gsp.audit.verification"].search([("user_id", "=", self.quality_user.id)]))


@tagged("post_install", "-at_install")
class TestGspAuditLedgerPdf(HttpCase):
    """The audit trail ledger printed by wkhtmltopdf, as users get it: an HttpCase, for
    wkhtmltopdf loads the report's style sheets (and the company's web font) from the server,
    which serves no request during a plain TransactionCase."""

    def test_ledger_pdf_is_searchable_with_labels(self):
        Report = self.env["ir.actions.report"]
        if Report.get_wkhtmltopdf_state() in ("install", "broken"):
            raise unittest.SkipTest("wkhtmltopdf is not installed")
        self.env["ir.config_parameter"].set_param("report.url", self.base_url())
        manager = new_test_user(
            self.env, "gsp_ledger_pdf_mgr", groups="gsp_compliance.group_gsp_manager", name="Lea Ledger"
        )
        saline = self.env["product.product"].create({"name": "Readable Saline", "is_storable": True})
        lot = self.env["stock.lot"].create({"name": "READABLE-PDF", "product_id": saline.id})
        self.env["gsp.audit.log"]._log_now(
            [
                {
                    "model": "stock.lot",
                    "res_id": lot.id,
                    "record_name": f"READABLE-{number:04d}",
                    "operation": "write",
                    "changes": [
                        {"field": "expiry_state", "old": "valid", "new": "near_expiry"},
                        {"field": "product_id", "old": [saline.id, "Readable Saline"], "new": False},
                    ],
                    "reason": "Stability data",
                }
                for number in range(300)
            ]
        )
        wizard = self.env["gsp.ledger.wizard"].with_user(manager).create({"ledger": "audit"})
        # The rows (the XLSX's too): labels, one change per line.
        _headers, rows = wizard._ledger_rows()
        row = next(row for row in rows if row[5] == "READABLE-0137")
        self.assertEqual(row[6], "Expiry State: Valid → Near Expiry\nProduct: Readable Saline → ")
        pdf, report_format = (
            Report.with_user(manager)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("gsp_compliance.action_report_gsp_ledger", wizard.ids)
        )
        self.assertEqual(report_format, "pdf")
        text = "".join(pdf_text(pdf).split())  # the extraction spaces words and lines its own way
        self.assertIn("Chainverified:", text)
        for needle in ("READABLE-0000", "READABLE-0137", "READABLE-0299", "ExpiryState:Valid→NearExpiry"):
            self.assertIn(needle, text)
        self.assertNotIn("expiry_state", text)
        self.assertNotIn("near_expiry", text)
        # Letters as text in an installed font, not drawn as shapes (the company's web font made
        # tens of kilobytes a row).
        self.assertLess(len(pdf), 1_000_000)


def pdf_text(content):
    """The text of a PDF: pdftotext when installed, else PyPDF2 (an Odoo requirement)."""
    if shutil.which("pdftotext"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf_file:
            pdf_file.write(content)
            pdf_file.flush()
            result = subprocess.run(
                ["pdftotext", "-enc", "UTF-8", pdf_file.name, "-"], capture_output=True, check=True
            )
            return result.stdout.decode("utf-8", "replace")
    from PyPDF2 import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
