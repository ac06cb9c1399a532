# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import re

from odoo.tests import TransactionCase, tagged

CJK = re.compile(r"[\u4e00-\u9fff]")


@tagged("post_install", "-at_install")
class TestDemoStory(TransactionCase):
    """The four modules' demo data tell one story (a Chinese distributor, its regulated
    amoxicillin under recall, its insulin's acceptance and outbound review) whose facts agree:
    what the titles and texts say is what the records hold."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.recall = cls.env.ref("recall_management.demo_recall_amx", raise_if_not_found=False)
        if not cls.recall:
            raise AssertionError("The demo data is not loaded: these tests check it (make test loads it).")
        cls.drill = cls.env.ref("recall_management.demo_recall_drill")
        cls.qa = cls.env.ref("capa.demo_user_qa")
        cls.warehouse_qa = cls.env.ref("gsp_compliance.demo_user_warehouse_qa")
        cls.hospital = cls.env.ref("capa.demo_partner_hospital")
        cls.pharmacy = cls.env.ref("recall_management.demo_partner_pharmacy")
        cls.clinic = cls.env.ref("recall_management.demo_partner_clinic")
        cls.lot_a = cls.env.ref("capa.demo_lot_amx_a")
        cls.lot_b = cls.env.ref("capa.demo_lot_amx_b")

    def test_company_and_partners_are_chinese(self):
        company = self.env.ref("base.main_company")
        self.assertRegex(company.name, CJK)
        self.assertEqual(company.country_id, self.env.ref("base.cn"))
        self.assertRegex(self.env.ref("stock.warehouse0").name, CJK)
        partners = (
            self.hospital
            | self.pharmacy
            | self.clinic
            | self.env.ref("recall_management.demo_partner_supplier")
            | self.env.ref("recall_management.demo_partner_regulator")
            | self.env.ref("gsp_compliance.demo_partner_biopharma")
            | self.env.ref("gsp_compliance.demo_partner_city_hospital")
        )
        for partner in partners:
            self.assertRegex(partner.name, CJK, partner.name)
            self.assertEqual(partner.lang, "zh_CN", partner.name)
        self.assertEqual(self.recall.regulator_partner_id.lang, "zh_CN")
        # Where the company works in Chinese (make run's database, tests/test_server.py), what
        # the modules name once is named in Chinese; a test database speaks English only.
        self.env["res.company"]._demo_work_in_database_language()
        self.assertEqual(company.partner_id.lang, "zh_CN")
        self.assertEqual(self.env.ref("stock.warehouse0").quarantine_location_id.name, "隔离")
        self.assertEqual(self.env.ref("recall_management.seq_recall_event").name, "召回")
        self.assertEqual(self.env.ref("gsp_compliance.seq_gsp_acceptance").name, "GSP 收货验收")
        # The quality manager works in Chinese.
        self.assertEqual((self.qa.login, self.qa.lang), ("wangli", "zh_CN"))
        self.assertTrue(self.qa.has_group("gsp_compliance.group_gsp_manager"))
        self.assertEqual(
            self.env.ref("capa.demo_product_amoxicillin").with_context(lang="zh_CN").name,
            "阿莫西林胶囊 500 mg（24 粒/盒）",
        )

    def test_recall_title_scope_trace_and_notices_agree(self):
        recall = self.recall
        scope_lots = recall.line_ids.lot_id
        self.assertEqual(scope_lots, self.lot_b)
        for lot in scope_lots:
            self.assertIn(lot.name, recall.title)
        # The product at the centre is GSP-regulated.
        self.assertTrue(scope_lots.product_id.product_tmpl_id.gsp_regulated)
        self.assertEqual(recall.trace_line_ids.lot_id, scope_lots)
        self.assertEqual(recall.state, "in_progress")
        # Owned and approved by the quality manager, not by the system.
        self.assertEqual(recall.user_id, self.qa)
        self.assertEqual(recall.approved_by_id, self.qa)
        # Delivered 40 + 25 + 15 to the three customers, each with a notice of that quantity.
        deliveries = recall.trace_line_ids.filtered(lambda line: line.kind == "customer_delivery")
        delivered = {
            partner: sum(deliveries.filtered(lambda line, p=partner: line.partner_id == p).mapped("quantity"))
            for partner in deliveries.partner_id
        }
        self.assertEqual(delivered, {self.hospital: 40.0, self.pharmacy: 25.0, self.clinic: 15.0})
        self.assertEqual(recall.qty_delivered, 80.0)
        notices = {notice.partner_id: notice for notice in recall.notice_ids}
        self.assertEqual(set(notices), set(delivered))
        for partner, notice in notices.items():
            self.assertEqual(sum(notice.line_ids.mapped("qty_delivered")), delivered[partner], partner.name)
        self.assertEqual(notices[self.hospital].state, "acknowledged")
        self.assertEqual(notices[self.pharmacy].state, "sent")
        self.assertEqual(notices[self.clinic].state, "draft")  # its phone number is not valid
        hospital_line = notices[self.hospital].line_ids
        self.assertEqual((hospital_line.qty_reported_on_hand, hospital_line.qty_to_return), (32.0, 32.0))
        # The hospital's 32 boxes come back on a return the recall created.
        returns = recall.return_picking_ids.filtered(lambda picking: picking.partner_id == self.hospital)
        self.assertEqual(sum(returns.move_ids.mapped("product_uom_qty")), 32.0)
        self.assertEqual(returns.move_ids.recall_notice_line_id.lot_id, self.lot_b)

    def test_drill_names_the_lot_it_traces(self):
        drill = self.drill
        self.assertTrue(drill.is_mock)
        self.assertTrue(drill.name.startswith("DR/"), drill.name)
        self.assertEqual(drill.line_ids.lot_id, self.lot_a)
        self.assertIn(self.lot_a.name, drill.title)
        self.assertEqual(drill.trace_line_ids.lot_id, self.lot_a)
        self.assertEqual(
            drill.trace_line_ids.filtered(lambda line: line.kind == "customer_delivery").partner_id,
            self.pharmacy,
        )

    def test_capa_texts_quote_the_records(self):
        deviation = self.env.ref("capa.demo_capa_deviation")
        self.assertEqual(deviation.lot_ids, self.lot_a)
        days_left = (self.lot_a.expiration_date - deviation.create_date).days
        self.assertIn(f"距效期 {days_left} 天", deviation.description)  # 60
        self.assertIn(f"{self.hospital.min_shelf_life_days} 天", deviation.description)
        self.assertIn(self.hospital.name, deviation.description)
        self.assertIn(self.lot_b.name, deviation.containment_action)
        days_b = (self.lot_b.expiration_date - deviation.create_date).days
        self.assertIn(f"距效期 {days_b} 天", deviation.containment_action)  # 420
        excursion = self.env.ref("capa.demo_capa_excursion")
        lot_c = self.env.ref("capa.demo_lot_ins_c")
        self.assertEqual(excursion.lot_ids, lot_c)
        self.assertIn(lot_c.name, excursion.title)
        self.assertTrue(lot_c.is_quarantined)
        self.assertEqual(lot_c.release_state, "blocked")
        logs = self.env["stock.temperature.log"].search(
            [("device_id", "=", self.env.ref("batch_expiry.demo_temperature_device").id)]
        )
        self.assertIn(f"{max(logs.mapped('temperature')):.1f} °C", excursion.description)
        complaint = self.env.ref("capa.demo_capa_complaint")
        self.assertIn(complaint.lot_ids.name, complaint.title)
        self.assertIn(complaint.partner_id.name, complaint.title)

    def test_signed_decisions_name_real_users(self):
        Signature = self.env["gsp.signature"]
        licences = (
            self.env.ref("gsp_compliance.demo_license_supplier")
            | self.env.ref("gsp_compliance.demo_license_hospital")
            | self.env.ref("gsp_compliance.demo_license_biopharma")
            | self.env.ref("gsp_compliance.demo_license_city_hospital")
        )
        for licence in licences:
            self.assertEqual(licence.approved_by_id, self.qa, licence.number)
            signature = licence.approval_signature_id
            self.assertEqual((signature.user_id, signature.meaning), (self.qa, "approved"), licence.number)
            self.assertFalse(signature.is_system)
        # The hospital's licence ends within 90 days; the pharmacy's renewal waits for approval.
        self.assertEqual(self.hospital.gsp_qualification_state, "expiring")
        self.assertEqual(self.pharmacy.gsp_qualification_state, "unqualified")
        self.assertEqual(self.env.ref("gsp_compliance.demo_license_pharmacy_renewal").state, "draft")
        acceptance = self.env["gsp.acceptance"].search(
            [("picking_id", "=", self.env.ref("gsp_compliance.demo_receipt_insulin").id)]
        )
        self.assertEqual(
            (acceptance.state, acceptance.conclusion, acceptance.acceptor_id),
            ("concluded", "accepted", self.warehouse_qa),
        )
        self.assertEqual(acceptance.signature_id.user_id, self.warehouse_qa)
        self.assertEqual(acceptance.lot_id.release_state, "released")
        delivery = self.env.ref("gsp_compliance.demo_delivery_insulin")
        self.assertEqual(delivery.gsp_review_signature_id.user_id, self.warehouse_qa)
        self.assertEqual(
            delivery.move_line_ids.lot_id, self.env.ref("gsp_compliance.demo_lot_insulin_on_hand")
        )
        self.assertEqual(delivery.state, "assigned")
        # Nothing in the demo was signed by the system or OdooBot.
        demo_signatures = Signature.search([("user_id", "in", (self.qa | self.warehouse_qa).ids)])
        self.assertGreaterEqual(len(demo_signatures), 6)
        self.assertFalse(Signature.search([("user_id", "=", self.env.ref("base.user_root").id)]))
