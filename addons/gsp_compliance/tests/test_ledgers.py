# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta
from io import BytesIO

import openpyxl

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestGspLedgers(TransactionCase):
    """G7: the six inspection ledgers, for a period and a company, as XLSX and PDF from the same
    rows; records outside the period are left out; the audit trail ledger (with the verdict of the
    chain verification) is for GSP managers only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.expiry_warning_days = 90
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.stock = cls.warehouse.lot_stock_id
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.manager = new_test_user(
            cls.env,
            "led_manager",
            groups="gsp_compliance.group_gsp_manager,stock.group_production_lot",
            name="Lena Ledger Manager",
        )
        cls.quality_user = new_test_user(
            cls.env,
            "led_quality",
            groups="capa.group_quality_user,stock.group_production_lot",
            name="Quinn Quality",
        )
        cls.acceptor = new_test_user(
            cls.env,
            "led_acceptor",
            groups="gsp_compliance.group_gsp_acceptor,stock.group_production_lot",
            name="Ada Acceptor",
        )
        cls.reviewer = new_test_user(
            cls.env,
            "led_reviewer",
            groups="gsp_compliance.group_gsp_reviewer,stock.group_production_lot",
            name="Rex Reviewer",
        )
        cls.supplier = cls.env["res.partner"].create({"name": "Ledger Supplier Ltd", "is_company": True})
        cls.customer = cls.env["res.partner"].create({"name": "Ledger Pharmacy Co", "is_company": True})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Ledger Amoxicillin 500 mg",
                "is_storable": True,
                "tracking": "lot",
                "use_expiration_date": True,
                "expiration_time": 730,
            }
        )
        cls.now = fields.Datetime.now()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.long_ago = cls.now - timedelta(days=40)
        cls.period = {"date_from": cls.today - timedelta(days=7), "date_to": cls.today + timedelta(days=7)}

    # --- Helpers ----------------------------------------------------------------------------------
    def new_lot(self, name, days, quantity=0.0, location=None):
        lot = self.env["stock.lot"].create(
            {
                "name": name,
                "product_id": self.product.id,
                "company_id": self.company.id,
                "expiration_date": self.now + timedelta(days=days),
            }
        )
        if quantity:
            self.env["stock.quant"]._update_available_quantity(
                self.product, location or self.stock, quantity, lot_id=lot
            )
        return lot

    def wizard(self, ledger, user=None, **vals):
        return (
            self.env["gsp.ledger.wizard"]
            .with_user(user or self.manager)
            .create(dict(self.period, ledger=ledger, **vals))
        )

    def render_xlsx(self, wizard):
        content, report_format = (
            self.env["ir.actions.report"]
            .with_user(wizard.env.user)
            ._render("gsp_compliance.action_report_gsp_ledger_xlsx", wizard.ids)
        )
        self.assertEqual(report_format, "xlsx")
        return openpyxl.load_workbook(BytesIO(content))

    def render_html(self, wizard):
        content, report_format = (
            self.env["ir.actions.report"]
            .with_user(wizard.env.user)
            ._render_qweb_pdf("gsp_compliance.action_report_gsp_ledger", wizard.ids)
        )
        self.assertEqual(report_format, "html")
        return content.decode() if isinstance(content, bytes) else str(content)

    def sheet_rows(self, workbook, sheet):
        rows = list(workbook[sheet].iter_rows(values_only=True))
        return rows[0], rows[1:]

    def cover(self, workbook):
        return [row for row in workbook["Ledger"].iter_rows(values_only=True) if any(row)]

    # --- Wizard -----------------------------------------------------------------------------------
    def test_wizard_defaults_buttons_and_dates(self):
        wizard = self.env["gsp.ledger.wizard"].with_user(self.quality_user).create({"ledger": "expiry"})
        self.assertEqual(wizard.date_from, self.today.replace(day=1))
        self.assertEqual(wizard.date_to.month, self.today.month)
        self.assertEqual((wizard.date_to + timedelta(days=1)).day, 1)
        self.assertEqual(wizard.company_id, self.company)
        pdf = wizard.action_print_pdf()
        self.assertEqual(
            (pdf["report_type"], pdf["report_name"]), ("qweb-pdf", "gsp_compliance.report_gsp_ledger")
        )
        xlsx = wizard.action_export_xlsx()
        self.assertEqual(
            (xlsx["report_type"], xlsx["report_name"]), ("xlsx", "gsp_compliance.gsp_ledger_xlsx")
        )
        with self.assertRaises(ValidationError) as error:
            self.wizard("expiry", date_from=self.today, date_to=self.today - timedelta(days=1))
        self.assertRegex(str(error.exception), "ends .* before it starts")
        action = self.env.ref("gsp_compliance.menu_gsp_ledger_wizard").action
        self.assertEqual(action.res_model, "gsp.ledger.wizard")

    # --- 3. Near-expiry and expired stock ---------------------------------------------------------
    def test_expiry_ledger(self):
        self.new_lot("LED-NEAR", days=30, quantity=10)
        self.new_lot("LED-DEAD", days=-5, quantity=4)
        self.new_lot("LED-FINE", days=500, quantity=99)
        wizard = self.wizard("expiry", user=self.quality_user)
        headers, rows = self.sheet_rows(self.render_xlsx(wizard), "Near-Expiry and Expired Lots")
        self.assertEqual(
            headers,
            (
                "Warehouse",
                "Location",
                "Product",
                "Lot",
                "Expiration Date",
                "Days Left",
                "Expiry State",
                "Quarantined",
                "Quantity",
                "Unit",
            ),
        )
        by_lot = {row[3]: row for row in rows}
        self.assertEqual(set(by_lot) & {"LED-NEAR", "LED-DEAD", "LED-FINE"}, {"LED-NEAR", "LED-DEAD"})
        near = by_lot["LED-NEAR"]
        self.assertEqual(
            (near[0], near[2], near[6], near[8]),
            (self.warehouse.name, self.product.display_name, "Near Expiry", 10),
        )
        self.assertEqual(by_lot["LED-DEAD"][6], "Expired")
        html = self.render_html(wizard)
        for text in [
            "Near-Expiry and Expired Stock",
            "LED-NEAR",
            "LED-DEAD",
            "Near Expiry",
            self.company.name,
        ]:
            self.assertIn(text, html)
        self.assertNotIn("LED-FINE", html)
        # As of the end of a past period: 80 days ago, the expired lot was near expiry and the
        # near-expiry lot was not yet.
        past = self.wizard(
            "expiry", date_from=self.today - timedelta(days=110), date_to=self.today - timedelta(days=80)
        )
        _headers, rows = self.sheet_rows(self.render_xlsx(past), "Near-Expiry and Expired Lots")
        by_lot = {row[3]: row for row in rows}
        self.assertEqual(by_lot["LED-DEAD"][6], "Near Expiry")
        self.assertNotIn("LED-NEAR", by_lot)

    # --- 4. Temperature log -----------------------------------------------------------------------
    def test_temperature_ledger(self):
        cold_room = self.env["stock.location"].create(
            {
                "name": "Ledger Cold Room",
                "usage": "internal",
                "location_id": self.warehouse.view_location_id.id,
            }
        )
        vaccine = self.env["product.product"].create(
            {
                "name": "Ledger Vaccine",
                "is_storable": True,
                "has_storage_range": True,
                "storage_temp_min": 2.0,
                "storage_temp_max": 8.0,
            }
        )
        self.env["stock.quant"]._update_available_quantity(vaccine, cold_room, 5)
        Log = self.env["stock.temperature.log"]
        Log.create({"location_id": cold_room.id, "temperature": 4.44, "measured_at": self.long_ago})
        for hours, temperature in [(3, 5.0), (2, 12.5), (1, 6.0)]:
            Log.create(
                {
                    "location_id": cold_room.id,
                    "temperature": temperature,
                    "measured_at": self.now - timedelta(hours=hours),
                }
            )
        excursion = self.env["stock.temperature.excursion"].search([("location_id", "=", cold_room.id)])
        self.assertEqual(len(excursion), 1)
        wizard = self.wizard("temperature", user=self.quality_user)
        workbook = self.render_xlsx(wizard)
        headers, rows = self.sheet_rows(workbook, "Readings")
        self.assertEqual(headers[:3], ("Location", "Measured At", "Temperature (°C)"))
        readings = [row for row in rows if row[0] == cold_room.complete_name]
        self.assertEqual([row[2] for row in readings], [5.0, 12.5, 6.0])
        self.assertEqual([row[6] for row in readings], ["No", "Yes", "No"])
        self.assertEqual(readings[1][7], excursion.name)
        headers, rows = self.sheet_rows(workbook, "Excursions")
        self.assertEqual(headers[:2], ("Excursion", "Location"))
        row = next(row for row in rows if row[0] == excursion.name)
        self.assertEqual((row[1], row[4], row[5], row[7]), (cold_room.complete_name, 12.5, 12.5, "Ended"))
        _headers, rows = self.sheet_rows(workbook, "Summary per Location")
        self.assertIn((cold_room.complete_name, 3, 5.0, 12.5, 1), rows)
        html = self.render_html(wizard)
        for text in ["Temperature Log", "Ledger Cold Room", "12.50", excursion.name, "Summary per Location"]:
            self.assertIn(text, html)
        self.assertNotIn("4.44", html)

    # --- 6. Audit trail ---------------------------------------------------------------------------
    def test_audit_ledger(self):
        lot = self.new_lot("LED-AUDIT-LOT", days=300)
        lot.expiration_date = self.now + timedelta(days=200)
        AuditLog = self.env["gsp.audit.log"]
        AuditLog._log_now(
            [
                {
                    "model": "stock.lot",
                    "res_id": lot.id,
                    "record_name": "LED-OLD-ENTRY",
                    "operation": "write",
                    "changes": [{"field": "name", "old": "A", "new": "B"}],
                    "timestamp": fields.Datetime.to_string(self.long_ago),
                }
            ]
        )
        wizard = self.wizard("audit")
        workbook = self.render_xlsx(wizard)
        total = AuditLog.sudo().search_count([])
        self.assertIn(("Verification", f"Chain verified: {total} entries, intact"), self.cover(workbook))
        headers, rows = self.sheet_rows(workbook, "Audit Trail Entries")
        self.assertEqual(headers[:6], ("Entry", "Date", "User", "Operation", "Document", "Record"))
        lot_rows = [row for row in rows if row[5] == "LED-AUDIT-LOT"]
        self.assertTrue(lot_rows, "writing the lot's expiration date is in the audit trail ledger")
        change = next(row for row in lot_rows if row[3] == "Change")
        self.assertEqual((change[2], change[4]), (self.env.user.name, "Lot/Serial"))
        self.assertIn("Expiration Date", change[6])
        self.assertNotIn("LED-OLD-ENTRY", [row[5] for row in rows])
        html = self.render_html(wizard)
        self.assertIn(f"Chain verified: {total} entries, intact", html)
        self.assertIn("LED-AUDIT-LOT", html)
        self.assertNotIn("LED-OLD-ENTRY", html)

        # Someone changes an entry in the database (bypassing the append-only trigger).
        entry = AuditLog.search([("record_name", "=", "LED-AUDIT-LOT")], order="id", limit=1)
        self.env.cr.execute("ALTER TABLE gsp_audit_log DISABLE TRIGGER gsp_audit_log_append_only")
        self.env.cr.execute("UPDATE gsp_audit_log SET reason = 'tampered' WHERE id = %s", (entry.id,))
        self.env.cr.execute("ALTER TABLE gsp_audit_log ENABLE TRIGGER gsp_audit_log_append_only")
        AuditLog.invalidate_model()
        self.assertIn(f"Chain BROKEN at entry #{entry.id}", self.render_html(wizard))
        self.assertIn(
            ("Verification", f"Chain BROKEN at entry #{entry.id}"), self.cover(self.render_xlsx(wizard))
        )

    def test_audit_ledger_for_gsp_managers_only(self):
        wizard = self.wizard("audit", user=self.quality_user)
        for render in (wizard.action_print_pdf, wizard.action_export_xlsx, lambda: self.render_xlsx(wizard)):
            with self.assertRaises(AccessError) as error:
                render()
            self.assertRegex(str(error.exception), "only be printed by GSP managers")
        # The PDF template collects its rows through the same check (the error comes wrapped in
        # the template's rendering error).
        with self.assertRaisesRegex(Exception, "only be printed by GSP managers"):
            self.render_html(wizard)
        # The other ledgers are open to quality users.
        self.assertTrue(self.wizard("license", user=self.quality_user).action_print_pdf())

    # --- 1. Receipt acceptance --------------------------------------------------------------------
    def test_acceptance_ledger(self):
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "partner_id": self.supplier.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.stock.id,
            }
        )
        lot = self.new_lot("LED-ACC-LOT", days=600)
        old_lot = self.new_lot("LED-ACC-OLD", days=600)
        Acceptance = self.env["gsp.acceptance"]
        acceptance = Acceptance.create(
            {
                "picking_id": receipt.id,
                "product_id": self.product.id,
                "lot_id": lot.id,
                "qty_received": 100,
                "qty_sampled": 2,
                "check_packaging": "pass",
                "check_labelling": "pass",
                "check_documents": "pass",
                "conclusion": "accepted",
            }
        )
        Acceptance.create(
            {
                "picking_id": receipt.id,
                "product_id": self.product.id,
                "lot_id": old_lot.id,
                "qty_received": 5,
                "state": "concluded",
                "conclusion": "rejected",
                "acceptor_id": self.acceptor.id,
                "date_concluded": self.long_ago,
            }
        )
        Wizard = self.env["gsp.signature.wizard"].with_user(self.acceptor)
        action = Wizard._open_for(acceptance.with_user(self.acceptor), "action_conclude", "accepted")
        signing = Wizard.browse(action["res_id"])
        signing.write({"password": "led_acceptor", "reason": "All checks passed"})
        signing.action_sign()
        self.assertEqual(acceptance.state, "concluded")
        self.assertTrue(acceptance.signature_id)

        wizard = self.wizard("acceptance", user=self.quality_user)
        headers, rows = self.sheet_rows(self.render_xlsx(wizard), "Acceptances")
        self.assertEqual(headers[:5], ("Reference", "Receipt", "Supplier", "Product", "Lot"))
        self.assertEqual(headers[11:], ("Conclusion", "Acceptor", "Concluded On", "Signature"))
        by_lot = {row[4]: row for row in rows}
        self.assertNotIn("LED-ACC-OLD", by_lot)
        row = by_lot["LED-ACC-LOT"]
        self.assertEqual(
            row[:12],
            (
                acceptance.name,
                receipt.name,
                "Ledger Supplier Ltd",
                self.product.display_name,
                "LED-ACC-LOT",
                100,
                2,
                "Pass",
                "Pass",
                "Pass",
                None,
                "Accepted",
            ),
        )
        self.assertEqual(row[12], "Ada Acceptor")
        self.assertRegex(row[14], r"^Ada Acceptor, .* \(Accepted\), [0-9a-f]{12}$")
        html = self.render_html(wizard)
        for text in ["Receipt Acceptance Ledger", acceptance.name, "LED-ACC-LOT", "Ada Acceptor", "Accepted"]:
            self.assertIn(text, html)
        self.assertNotIn("LED-ACC-OLD", html)

    # --- 2. Outbound review -----------------------------------------------------------------------
    def delivery(self, quantity):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "partner_id": self.customer.id,
                "location_id": self.stock.id,
                "location_dest_id": self.customer_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "ledger delivery",
                            "product_id": self.product.id,
                            "product_uom_qty": quantity,
                            "location_id": self.stock.id,
                            "location_dest_id": self.customer_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def test_outbound_review_ledger(self):
        lot = self.new_lot("LED-OUT-LOT", days=400, quantity=50)
        reviewed = self.delivery(12)
        reviewed.write(
            {
                "gsp_review_user_id": self.reviewer.id,
                "gsp_review_date": self.now,
                "gsp_review_note": "Lots and expiry checked",
                "gsp_review_fingerprint": reviewed._gsp_review_lines_fingerprint(),
            }
        )
        old = self.delivery(3)
        old.write({"gsp_review_user_id": self.reviewer.id, "gsp_review_date": self.long_ago})
        wizard = self.wizard("outbound_review", user=self.quality_user)
        headers, rows = self.sheet_rows(self.render_xlsx(wizard), "Reviewed Deliveries")
        self.assertEqual(
            headers[:11],
            (
                "Delivery",
                "Customer",
                "Date Done",
                "Product",
                "Lot",
                "Expiration Date",
                "Quantity",
                "Unit",
                "Reviewer",
                "Reviewed On",
                "Review Note",
            ),
        )
        by_picking = {row[0]: row for row in rows}
        self.assertNotIn(old.name, by_picking)
        row = by_picking[reviewed.name]
        # In the time zone the ledger prints in (its user's), whatever the hour of the run.
        expiry = wizard._local(lot.expiration_date).date()
        self.assertEqual(
            row[:12],
            (
                reviewed.name,
                "Ledger Pharmacy Co",
                None,
                self.product.display_name,
                "LED-OUT-LOT",
                fields.Datetime.to_datetime(expiry),
                12,
                self.product.uom_id.name,
                "Rex Reviewer",
                row[9],
                "Lots and expiry checked",
                "Yes",
            ),
        )
        self.assertTrue(row[9])
        html = self.render_html(wizard)
        for text in [
            "Outbound Review Ledger",
            reviewed.name,
            "Ledger Pharmacy Co",
            "LED-OUT-LOT",
            "Rex Reviewer",
        ]:
            self.assertIn(text, html)
        self.assertNotIn(old.name, html)

    # --- 5. Licences ------------------------------------------------------------------------------
    def test_license_ledger(self):
        License = self.env["gsp.license"]

        def licence(number, days, state="approved"):
            return License.create(
                {
                    "partner_id": self.supplier.id,
                    "license_type": "drug_business",
                    "number": number,
                    "issuer": "Ledger Medical Products Administration",
                    "date_from": self.today - timedelta(days=700),
                    "date_to": self.today + timedelta(days=days),
                    "state": state,
                }
            )

        licence("LED-VALID", 400)
        licence("LED-SOON", 30)
        licence("LED-GONE", -10)
        licence("LED-REVOKED", 400, state="revoked")
        licence("LED-DRAFT", 400, state="draft")
        wizard = self.wizard("license", user=self.quality_user)
        headers, rows = self.sheet_rows(self.render_xlsx(wizard), "Licences")
        self.assertEqual(
            headers,
            (
                "Holder",
                "Licence",
                "Type",
                "Number",
                "Issuer",
                "Categories",
                "Valid From",
                "Valid To",
                "Status",
                "State at Period End",
            ),
        )
        by_number = {row[3]: row for row in rows}
        soon = by_number["LED-SOON"]
        self.assertEqual(
            soon[:5],
            (
                "Ledger Supplier Ltd",
                "Drug Business Licence LED-SOON",
                "Drug Business Licence",
                "LED-SOON",
                "Ledger Medical Products Administration",
            ),
        )
        self.assertEqual(soon[7], fields.Datetime.to_datetime(self.today + timedelta(days=30)))
        self.assertEqual(
            {number: by_number[number][9] for number in by_number if number.startswith("LED-")},
            {
                "LED-VALID": "Valid",
                "LED-SOON": "Expiring within 90 days",
                "LED-GONE": "Expired",
                "LED-REVOKED": "Revoked",
                "LED-DRAFT": "Draft",
            },
        )
        html = self.render_html(wizard)
        for text in ["Licences and Their Validity", "LED-SOON", "Expiring within 90 days", "Revoked"]:
            self.assertIn(text, html)
        # At the end of a period 60 days ago, the licence that ended 10 days ago was expiring.
        past = self.wizard(
            "license", date_from=self.today - timedelta(days=90), date_to=self.today - timedelta(days=60)
        )
        _headers, rows = self.sheet_rows(self.render_xlsx(past), "Licences")
        self.assertEqual({row[3]: row[9] for row in rows}["LED-GONE"], "Expiring within 90 days")
