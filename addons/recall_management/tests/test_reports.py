# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta
from io import BytesIO

import openpyxl

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import decide, validated_transfer


@tagged("post_install", "-at_install")
class TestRecallReports(TransactionCase):
    """The recall reports (PDF letters and reports, XLSX exports) on a real, small recall: lot
    RPT-LOT-01 received (100) from a supplier, 30 delivered to a pharmacy, then recalled."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.stock = cls.warehouse.lot_stock_id
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.owner = new_test_user(
            cls.env,
            "rpt_owner",
            groups="capa.group_quality_user,stock.group_production_lot",
            name="Olive Owner",
            email="olive.owner@example.com",
        )
        cls.quality_manager = new_test_user(
            cls.env,
            "rpt_qm",
            groups="capa.group_quality_manager,stock.group_production_lot",
            name="Max Manager",
        )
        cls.supplier = cls.env["res.partner"].create({"name": "Report Supplier Ltd", "is_company": True})
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Report Pharmacy Co",
                "is_company": True,
                "email": "pharmacy@example.com",
                "phone": "010 6552 9988",
                "country_id": cls.env.ref("base.cn").id,
                "street": "1 Harbour Road",
                "city": "Shanghai",
                "lang": "en_US",
            }
        )
        cls.regulator = cls.env["res.partner"].create(
            {"name": "Report Medical Products Agency", "is_company": True, "city": "Beijing"}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Report Amoxicillin 500 mg",
                "is_storable": True,
                "tracking": "lot",
                "use_expiration_date": True,
                "expiration_time": 730,
            }
        )
        cls.lot = cls.env["stock.lot"].create(
            {
                "name": "RPT-LOT-01",
                "product_id": cls.product.id,
                "company_id": cls.company.id,
                "expiration_date": fields.Datetime.now() + timedelta(days=700),
            }
        )
        cls.receipt = cls._transfer(
            cls.supplier_location, cls.stock, 100, cls.warehouse.in_type_id, cls.supplier
        )
        cls.delivery = cls._transfer(
            cls.stock, cls.customer_location, 30, cls.warehouse.out_type_id, cls.customer
        )
        cls.event = cls.env["recall.event"].create(
            {
                "title": "Cracked vials",
                "user_id": cls.owner.id,
                "level_id": cls.env.ref("recall_management.recall_level_1").id,
                "description": "<p>Hairline cracks in the vial necks.</p>",
                "risk_assessment": "<p>Loss of sterility: serious infections are possible.</p>",
                "regulator_partner_id": cls.regulator.id,
                "line_ids": [Command.create({"product_id": cls.product.id, "lot_id": cls.lot.id})],
            }
        )
        cls.event.action_submit()
        decide(cls.event.with_user(cls.quality_manager), "action_approve")
        cls.event.action_start()
        cls.notice = cls.event.notice_ids
        cls.env["recall.cost"].create(
            {"event_id": cls.event.id, "cost_type": "logistics", "amount": 250.0, "note": "Courier"}
        )

    @classmethod
    def _transfer(cls, source, destination, quantity, picking_type, partner):
        """A validated transfer of ``quantity`` of RPT-LOT-01."""
        return validated_transfer(cls.env, source, destination, quantity, picking_type, cls.lot, partner)

    def render_html(self, xmlid, records):
        """The report as HTML (what _render_qweb_pdf gives in tests without force_report_rendering)."""
        content, report_format = self.env["ir.actions.report"]._render_qweb_pdf(xmlid, records.ids)
        self.assertEqual(report_format, "html")
        return content.decode() if isinstance(content, bytes) else str(content)

    def render_xlsx(self, xmlid, records):
        content, report_format = self.env["ir.actions.report"]._render(xmlid, records.ids)
        self.assertEqual(report_format, "xlsx")
        return openpyxl.load_workbook(BytesIO(content))

    def test_scenario(self):
        self.assertEqual(self.event.state, "in_progress")
        self.assertEqual(self.event.qty_distributed, 30)
        self.assertEqual(self.notice.partner_id, self.customer)
        self.assertEqual(self.notice.line_ids.lot_id, self.lot)
        self.assertEqual(self.notice.line_ids.qty_delivered, 30)

    def test_reports_in_print_menu(self):
        for xmlid, model in [
            ("recall_management.action_report_recall_notice", "recall.notice"),
            ("recall_management.action_report_recall_plan", "recall.event"),
            ("recall_management.action_report_recall_progress", "recall.event"),
            ("recall_management.action_report_recall_summary", "recall.event"),
            ("recall_management.action_report_recall_drill", "recall.event"),
            ("recall_management.action_report_recall_trace_xlsx", "recall.event"),
            ("recall_management.action_report_recall_notices_xlsx", "recall.event"),
        ]:
            report = self.env.ref(xmlid)
            self.assertEqual(report.model, model, xmlid)
            self.assertEqual(report.binding_model_id.model, model, xmlid)
            self.assertEqual(report.binding_type, "report", xmlid)

    def test_notice_letter(self):
        html = self.render_html("recall_management.action_report_recall_notice", self.notice)
        for text in [
            "Product Recall Notice",
            self.event.name,
            "Cracked vials",
            "Level I",
            self.notice.name,
            "Report Pharmacy Co",
            "Shanghai",
            "Hairline cracks in the vial necks.",
            "RPT-LOT-01",
            "Report Amoxicillin 500 mg",
            "30.00",
            self.product.uom_id.name,
            "Stop using, selling and distributing",
            "Olive Owner",
            "olive.owner@example.com",
        ]:
            self.assertIn(text, html)
        self.assertTrue(self.notice.access_token, "the letter's portal link carries an access token")
        self.assertIn(f"/my/recall_notices/{self.notice.id}?access_token={self.notice.access_token}", html)
        self.assertNotIn("MOCK RECALL", html)

    def test_notice_letter_pdf(self):
        pdf, report_format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("recall_management.action_report_recall_notice", self.notice.ids)
        )
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_notice_letter_in_partner_language(self):
        """The letter is rendered in the customer's language, whatever the user's."""
        self.env["res.lang"]._activate_lang("zh_CN")
        level = self.event.level_id
        # A translation of a record, made here: the module's own zh_CN terms come from its .po file.
        level.with_context(lang="zh_CN").name = "Level I (zh_CN test translation)"
        html = self.render_html("recall_management.action_report_recall_notice", self.notice)
        self.assertNotIn("zh_CN test translation", html)
        self.customer.lang = "zh_CN"
        html = self.render_html("recall_management.action_report_recall_notice", self.notice)
        self.assertIn("Level I (zh_CN test translation)", html)
        self.assertIn("RPT-LOT-01", html)
        self.assertEqual(self.env.user.lang, "en_US")

    def test_plan_report(self):
        self.assertEqual(self.env.ref("recall_management.action_report_recall_plan").model, "recall.event")
        html = self.render_html("recall_management.action_report_recall_plan", self.event)
        for text in [
            "Investigation and Recall Plan",
            self.event.name,
            "Report Medical Products Agency",
            "Beijing",
            "Level I",
            ">24<",
            "Hairline cracks in the vial necks.",
            "Loss of sterility",
            "Wholesale",
            "Return",
            "RPT-LOT-01",
            "Report Amoxicillin 500 mg",
            "Supplier Receipt",
            "Customer Delivery",
            "Report Supplier Ltd",
            "Report Pharmacy Co",
            "100.00",
            "30.00",
            "Olive Owner",
            "Max Manager",
        ]:
            self.assertIn(text, html)

    def test_progress_report(self):
        html = self.render_html("recall_management.action_report_recall_progress", self.event)
        for text in [
            "Recall Progress Report",
            self.event.name,
            "Distributed to customers",
            "30.00",
            self.notice.name,
            "Report Pharmacy Co",
            "Draft",
            "Logistics",
            "250.00",
            "Notify all customers by",
            "No dispositions.",
        ]:
            self.assertIn(text, html)
        self.assertNotIn("MOCK RECALL", html)
        self.assertNotIn("Breached", html)
        self.event.notify_deadline_breached = True
        html = self.render_html("recall_management.action_report_recall_progress", self.event)
        self.assertIn("Breached", html)
        # The model records it with the chatter (as HTML in tests).
        self.event.action_record_progress_report()
        self.assertTrue(self.event.date_last_report)
        self.assertTrue(
            self.event.message_ids.attachment_ids.filtered(lambda a: a.name.startswith("Progress report"))
        )

    def test_summary_report(self):
        capa = self.env["capa.record"].create(
            {"title": "Vial supplier process", "origin_ref": f"recall.event,{self.event.id}"}
        )
        self.event.write(
            {
                "summary": "<p>All 30 units were found at the pharmacy.</p>",
                "lessons_learned": "<p>Inspect vial necks at receipt.</p>",
                "capa_deferred_reason": "The effectiveness check is due in six months.",
            }
        )
        self.assertEqual(self.event.capa_ids, capa)
        html = self.render_html("recall_management.action_report_recall_summary", self.event)
        for text in [
            "Recall Summary Report",
            self.event.name,
            "All 30 units were found at the pharmacy.",
            "Inspect vial necks at receipt.",
            capa.name,
            "Vial supplier process",
            "The effectiveness check is due in six months.",
            "Report Pharmacy Co",
            "250.00",
            "Not closed yet",
        ]:
            self.assertIn(text, html)

    def test_drill_report_refuses_real_recall(self):
        with self.assertRaisesRegex(UserError, "only for mock recalls"):
            self.render_html("recall_management.action_report_recall_drill", self.event)

    def test_drill_report(self):
        drill = self.env["recall.event"].create(
            {
                "title": "Annual drill",
                "is_mock": True,
                "user_id": self.owner.id,
                "line_ids": [Command.create({"product_id": self.product.id, "lot_id": self.lot.id})],
            }
        )
        drill.action_start()
        self.assertEqual(len(drill.notice_ids), 1)
        html = self.render_html("recall_management.action_report_recall_drill", drill)
        for text in [
            "MOCK RECALL – DRILL",
            "Nothing was sent and no stock moved.",
            drill.name,
            "Time to trace",
            "Customers that would be notified",
            "RPT-LOT-01",
            "Report Pharmacy Co",
            "Customer Delivery",
            "30.00",
        ]:
            self.assertIn(text, html)
        with self.assertRaisesRegex(UserError, self.event.name):
            self.render_html("recall_management.action_report_recall_drill", drill | self.event)

    def test_trace_xlsx(self):
        workbook = self.render_xlsx("recall_management.action_report_recall_trace_xlsx", self.event)
        rows = list(workbook["Trace"].iter_rows(values_only=True))
        self.assertEqual(rows[0][:5], ("Recall", "Direction", "Movement", "Product", "Lot"))
        by_kind = {row[2]: row for row in rows[1:]}
        self.assertEqual(set(by_kind), {"Supplier Receipt", "Customer Delivery", "On Hand"})
        receipt = by_kind["Supplier Receipt"]
        self.assertEqual(receipt[0], self.event.name)
        self.assertEqual(receipt[1], "Upstream")
        self.assertEqual(receipt[3], "Report Amoxicillin 500 mg")
        self.assertEqual(receipt[4], "RPT-LOT-01")
        self.assertTrue(receipt[5], "expiration date")
        self.assertEqual(receipt[6], "Report Supplier Ltd")
        self.assertEqual(receipt[8], self.receipt.name)
        self.assertEqual((receipt[10], receipt[11]), (100, self.product.uom_id.name))
        delivery = by_kind["Customer Delivery"]
        self.assertEqual(
            (delivery[1], delivery[6], delivery[8], delivery[10]),
            ("Downstream", "Report Pharmacy Co", self.delivery.name, 30),
        )
        self.assertEqual(by_kind["On Hand"][10], 70)
        customers = list(workbook["By Customer"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            customers,
            [
                (
                    self.event.name,
                    "Report Pharmacy Co",
                    "Report Amoxicillin 500 mg",
                    "RPT-LOT-01",
                    30,
                    self.product.uom_id.name,
                )
            ],
        )

    def test_notices_xlsx(self):
        self.notice.line_ids.write({"qty_reported_on_hand": 12, "qty_to_return": 10})
        workbook = self.render_xlsx("recall_management.action_report_recall_notices_xlsx", self.event)
        rows = list(workbook["Notices"].iter_rows(values_only=True))
        self.assertEqual(rows[0][:3], ("Recall", "Notice", "Customer"))
        self.assertEqual(len(rows), 2)
        row = rows[1]
        self.assertTrue(self.notice.phone_e164)
        self.assertEqual(
            row[:8],
            (
                self.event.name,
                self.notice.name,
                "Report Pharmacy Co",
                "Report Pharmacy Co",
                "pharmacy@example.com",
                self.notice.phone_e164,
                "No",
                "Draft",
            ),
        )
        self.assertEqual((row[8], row[9], row[10]), (None, None, 0))
        self.assertEqual(
            row[11:], ("Report Amoxicillin 500 mg", "RPT-LOT-01", 30, 12, 10, 0, self.product.uom_id.name)
        )
