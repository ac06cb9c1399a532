# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import base64
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged


class GspLicenseCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.today = fields.Date.context_today(cls.env["gsp.license"])
        cls.manager = new_test_user(cls.env, "gsp_lic_manager", groups="gsp_compliance.group_gsp_manager")
        cls.quality_user = new_test_user(cls.env, "gsp_lic_quality", groups="capa.group_quality_user")
        cls.buyer = new_test_user(
            cls.env, "gsp_lic_buyer", groups="purchase.group_purchase_user,stock.group_stock_user"
        )
        cls.drugs = cls.env["product.category"].create({"name": "Test Regulated Drugs"})
        cls.antibiotics = cls.env["product.category"].create(
            {"name": "Test Antibiotics", "parent_id": cls.drugs.id}
        )
        cls.devices = cls.env["product.category"].create({"name": "Test Medical Devices"})
        cls.drug = cls.env["product.product"].create(
            {
                "name": "Test Cefalexin 250 mg",
                "is_storable": True,
                "categ_id": cls.antibiotics.id,
                "gsp_regulated": True,
                "gsp_registration_number": "H20990001",
                "gsp_registration_holder": "Test Holder",
                "gsp_registration_expiry": cls.today + timedelta(days=700),
            }
        )
        cls.device = cls.env["product.product"].create(
            {
                "name": "Test Infusion Set",
                "is_storable": True,
                "categ_id": cls.devices.id,
                "gsp_regulated": True,
                "gsp_registration_number": "D20990002",
                "gsp_registration_expiry": cls.today + timedelta(days=700),
            }
        )
        cls.plain = cls.env["product.product"].create(
            {"name": "Test Cotton Bag", "is_storable": True, "categ_id": cls.devices.id}
        )
        cls.supplier = cls.env["res.partner"].create({"name": "Test Pharma Supplier", "is_company": True})
        cls.customer = cls.env["res.partner"].create({"name": "Test County Hospital", "is_company": True})
        cls.scan = cls.env["ir.attachment"].create(
            {"name": "scan.txt", "datas": base64.b64encode(b"licence scan"), "mimetype": "text/plain"}
        )

    @classmethod
    def _licence(
        cls, partner, approve=True, date_from=None, date_to=None, categories=None, number="L-001", **vals
    ):
        licence = cls.env["gsp.license"].create(
            {
                "partner_id": partner.id,
                "license_type": "drug_business",
                "number": number,
                "category_ids": [Command.set((categories or cls.drugs).ids)],
                "date_from": date_from or cls.today - timedelta(days=365),
                "date_to": date_to or cls.today + timedelta(days=365),
                "attachment_ids": [Command.set(cls.scan.ids)],
                "user_id": cls.manager.id,
                **vals,
            }
        )
        if approve:
            licence._gsp_system_decision("action_approve", "Test licence")
        return licence

    def _sign_approve(self, user, licence):
        Wizard = self.env["gsp.signature.wizard"].with_user(user)
        action = Wizard._open_for(licence, "action_approve", "approved")
        wizard = Wizard.browse(action["res_id"])
        wizard.write({"password": user.login, "reason": "Checked against the original"})
        return wizard.action_sign()


@tagged("post_install", "-at_install")
class TestGspLicenseRecord(GspLicenseCommon):
    def test_dates_constraint(self):
        with self.assertRaises(ValidationError) as error:
            self._licence(
                self.supplier,
                approve=False,
                number="BAD-DATES",
                date_from=self.today,
                date_to=self.today - timedelta(days=1),
            )
        self.assertRegex(str(error.exception), "BAD-DATES.*before its start")
        self.assertFalse(self.env["gsp.license"].search([("number", "=", "BAD-DATES")]))

    def test_name_and_commercial_partner(self):
        contact = self.env["res.partner"].create({"name": "Buyer Li", "parent_id": self.supplier.id})
        licence = self._licence(contact, approve=False, number="ZJ-42")
        self.assertEqual(licence.partner_id, self.supplier)
        self.assertEqual(licence.name, "Drug Business Licence ZJ-42")
        self.assertEqual(self.supplier.gsp_license_count, 1)
        action = contact.action_view_gsp_licenses()
        self.assertEqual(self.env["gsp.license"].search(action["domain"]), licence)

    def test_approve_requires_signature(self):
        licence = self._licence(self.supplier, approve=False)
        with self.assertRaises(UserError) as error:
            licence.with_user(self.manager).action_approve()
        self.assertRegex(str(error.exception), "electronic signature")
        self.assertEqual(licence.state, "draft")

    def test_approve_with_signature(self):
        licence = self._licence(self.supplier, approve=False)
        self._sign_approve(self.manager, licence)
        self.assertEqual(licence.state, "approved")
        self.assertEqual(licence.approved_by_id, self.manager)
        self.assertTrue(licence.date_approved)
        licence.invalidate_recordset(["gsp_signature_ids"])
        signature = licence.gsp_signature_ids
        self.assertEqual(len(signature), 1)
        self.assertEqual(signature.user_id, self.manager)
        self.assertEqual(signature.meaning, "approved")
        self.assertEqual(signature.reason, "Checked against the original")
        self.assertTrue(signature.consumed)
        # The licence keeps the signature it was approved with (issue 11: §11.70).
        self.assertEqual(licence.approval_signature_id, signature)
        self.assertIn(self.manager.name, licence.approval_signature_id.display_name)

    def test_approve_by_non_manager_refused(self):
        licence = self._licence(self.supplier, approve=False)
        with self.assertRaises(UserError) as error:
            licence.with_user(self.quality_user).action_approve()
        self.assertRegex(str(error.exception), "Only a GSP manager")
        with self.assertRaises(UserError):
            self._sign_approve(self.quality_user, licence)
        self.assertEqual(licence.state, "draft")
        self.assertFalse(licence.gsp_signature_ids)

    def test_approve_expired_or_without_scan_refused(self):
        expired = self._licence(
            self.supplier,
            approve=False,
            date_from=self.today - timedelta(days=400),
            date_to=self.today - timedelta(days=1),
        )
        with self.assertRaises(UserError) as error:
            expired.action_approve()
        self.assertRegex(str(error.exception), "expired licence cannot be approved")
        unscanned = self._licence(self.supplier, approve=False, number="L-002", attachment_ids=[])
        with self.assertRaises(UserError) as error:
            unscanned.action_approve()
        self.assertRegex(str(error.exception), "no scan")
        self.assertEqual((expired | unscanned).mapped("state"), ["draft", "draft"])

    def test_approved_licence_locked_revoke_reset(self):
        licence = self._licence(self.supplier)
        with self.assertRaises(UserError) as error:
            licence.write({"date_to": self.today + timedelta(days=3000)})
        self.assertRegex(str(error.exception), "no longer a draft")
        with self.assertRaises(UserError) as error:
            licence.action_revoke()
        self.assertRegex(str(error.exception), "reason")
        self.assertEqual(self.supplier.gsp_qualification_state, "qualified")
        licence.action_revoke("Withdrawn by the provincial MPA")
        self.assertEqual(licence.state, "revoked")
        self.assertEqual(licence.revoke_reason, "Withdrawn by the provincial MPA")
        self.supplier.invalidate_recordset(["gsp_qualification_state"])
        self.assertEqual(self.supplier.gsp_qualification_state, "unqualified")
        with self.assertRaises(UserError):
            licence.with_user(self.quality_user).action_reset_draft()
        licence.with_user(self.manager).action_reset_draft()
        self.assertEqual(licence.state, "draft")
        self.assertFalse(licence.approved_by_id)
        self.assertFalse(licence.approval_signature_id)

    def test_retention(self):
        approved = self._licence(self.supplier)
        with self.assertRaises(UserError) as error:
            approved.unlink()
        self.assertRegex(str(error.exception), "cannot be deleted")
        draft = self._licence(self.supplier, approve=False, number="L-DRAFT")
        draft.unlink()
        self.assertFalse(draft.exists())
        self.assertTrue(approved.exists())

    def test_multi_company(self):
        licence = self._licence(self.supplier)
        other_company = self.env["res.company"].create({"name": "GSP Test Other Company"})
        other_user = new_test_user(
            self.env,
            "gsp_lic_other",
            groups="capa.group_quality_user",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        Licence = self.env["gsp.license"].with_user(other_user)
        self.assertFalse(Licence.search([("id", "=", licence.id)]))
        with self.assertRaises(AccessError):
            Licence.browse(licence.id).read(["number"])
        self.assertTrue(
            self.env["gsp.license"].with_user(self.quality_user).search([("id", "=", licence.id)])
        )


@tagged("post_install", "-at_install")
class TestGspLicenseQualification(GspLicenseCommon):
    def test_qualification_states(self):
        Partner = self.env["res.partner"]
        self.assertEqual(self.supplier.gsp_qualification_state, "not_required")
        self.supplier.gsp_regulated_partner = True
        self.assertEqual(self.supplier.gsp_qualification_state, "unqualified")
        licence = self._licence(self.supplier, date_to=self.today + timedelta(days=60))
        self.supplier.invalidate_recordset(["gsp_qualification_state"])
        self.assertEqual(self.supplier.gsp_qualification_state, "expiring")
        self.assertIn(self.supplier, Partner.search([("gsp_qualification_state", "=", "expiring")]))
        self._licence(self.supplier, number="L-LONG", date_to=self.today + timedelta(days=400))
        self.supplier.invalidate_recordset(["gsp_qualification_state"])
        self.assertEqual(self.supplier.gsp_qualification_state, "qualified")
        self.assertIn(self.supplier, Partner.search([("gsp_qualification_state", "=", "qualified")]))
        self.assertNotIn(self.supplier, Partner.search([("gsp_qualification_state", "!=", "qualified")]))
        contact = Partner.create({"name": "Ms Wang", "parent_id": self.supplier.id})
        self.assertEqual(contact.gsp_qualification_state, "qualified")
        self.assertTrue(contact.gsp_regulated_partner)
        # A partner with only a draft licence needs one approved: unqualified.
        self._licence(self.customer, approve=False)
        self.assertEqual(self.customer.gsp_qualification_state, "unqualified")
        self.assertIn(self.customer, Partner.search([("gsp_qualification_state", "in", ["unqualified"])]))
        self.assertNotIn(self.customer, Partner.search([("gsp_qualification_state", "=", "not_required")]))
        self.assertTrue(licence)

    def test_registration_valid(self):
        template = self.drug.product_tmpl_id
        self.assertTrue(template._gsp_registration_valid(self.today))
        self.assertTrue(template._gsp_registration_valid(template.gsp_registration_expiry))
        self.assertFalse(
            template._gsp_registration_valid(template.gsp_registration_expiry + timedelta(days=1))
        )
        template.gsp_registration_number = False
        self.assertFalse(template._gsp_registration_valid(self.today))
        self.assertEqual(template.gsp_registration_state, "invalid")
        self.assertTrue(self.plain.product_tmpl_id._gsp_registration_valid(self.today))

    def test_check_child_category_covered(self):
        self._licence(self.supplier, categories=self.drugs)
        self.assertTrue(self.supplier._gsp_check_qualified(self.drug, self.today, "purchase"))
        # Not on a day outside the licence's validity.
        with self.assertRaises(UserError):
            self.supplier._gsp_check_qualified(self.drug, self.today + timedelta(days=366), "purchase")

    # --- Purchase orders ----------------------------------------------------------------------------
    def _purchase(self, product, partner=None):
        return self.env["purchase.order"].create(
            {
                "partner_id": (partner or self.supplier).id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_qty": 5, "price_unit": 10})
                ],
            }
        )

    def test_purchase_no_licence(self):
        order = self._purchase(self.drug)
        with self.assertRaises(UserError) as error:
            order.button_confirm()
        self.assertRegex(str(error.exception), "Test Pharma Supplier.*no licence.*Test Cefalexin 250 mg")
        self.assertEqual(order.state, "draft")

    def test_purchase_expired_licence(self):
        licence = self._licence(self.supplier, date_to=self.today + timedelta(days=10))
        licence.write({"state": "expired"})
        order = self._purchase(self.drug)
        with self.assertRaises(UserError) as error:
            order.button_confirm()
        self.assertRegex(str(error.exception), "Test Pharma Supplier.*L-001.*Expired.*Test Cefalexin 250 mg")
        # Approved but past its end (before the daily cron runs): refused as well.
        old = self._licence(
            self.customer,
            approve=False,
            number="L-OLD",
            date_from=self.today - timedelta(days=400),
            date_to=self.today - timedelta(days=2),
        )
        old.write({"state": "approved"})
        with self.assertRaises(UserError) as error:
            self._purchase(self.drug, self.customer).button_confirm()
        self.assertRegex(str(error.exception), "L-OLD.*expired on")

    def test_purchase_scope_not_covering(self):
        self._licence(self.supplier, categories=self.drugs)
        order = self._purchase(self.device)
        with self.assertRaises(UserError) as error:
            order.button_confirm()
        self.assertRegex(
            str(error.exception),
            "Test Pharma Supplier.*Test Infusion Set.*L-001.*does not cover.*Test Medical Devices",
        )

    def test_purchase_product_without_registration(self):
        self._licence(self.supplier)
        self.drug.gsp_registration_expiry = self.today - timedelta(days=1)
        order = self._purchase(self.drug)
        with self.assertRaises(UserError) as error:
            order.button_confirm()
        self.assertRegex(
            str(error.exception), "Test Cefalexin 250 mg has no valid registration.*Test Pharma Supplier"
        )

    def test_purchase_accepted(self):
        self._licence(self.supplier)
        order = self._purchase(self.drug).with_user(self.buyer)
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertEqual(order.gsp_confirm_user_id, self.buyer)

    def test_non_regulated_unaffected(self):
        order = self._purchase(self.plain)
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        sale = self._sale(self.plain)
        sale.action_confirm()
        self.assertEqual(sale.state, "sale")

    # --- Sale orders --------------------------------------------------------------------------------
    def _sale(self, product, partner=None):
        return self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 2})],
            }
        )

    def test_sale_refused_then_accepted(self):
        order = self._sale(self.drug)
        with self.assertRaises(UserError) as error:
            order.action_confirm()
        self.assertRegex(
            str(error.exception), "Test County Hospital.*no licence.*Test Cefalexin 250 mg.*sold to"
        )
        licence = self._licence(self.customer, categories=self.devices)
        with self.assertRaises(UserError) as error:
            order.action_confirm()
        self.assertRegex(str(error.exception), "L-001.*does not cover")
        licence.action_revoke("Wrong scope")
        self._licence(self.customer, number="L-002", categories=self.drugs | self.devices)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    # --- Deliveries and receipts ----------------------------------------------------------------------
    def _picking(self, product, partner, outgoing=True):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        stock = warehouse.lot_stock_id
        if outgoing:
            picking_type = warehouse.out_type_id
            source, destination = stock, self.env.ref("stock.stock_location_customers")
            self.env["stock.quant"]._update_available_quantity(product, stock, 3)
        else:
            picking_type = warehouse.in_type_id
            source, destination = self.env.ref("stock.stock_location_suppliers"), stock
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": partner.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": 3,
                            "product_uom": product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.write({"quantity": 3, "picked": True})
        return picking

    def test_delivery(self):
        licence = self._licence(self.customer)
        picking = self._picking(self.drug, self.customer)
        licence.action_revoke("Licence withdrawn after inspection")
        # The outbound review (G6) is checked on the picking; the qualification on its moves.
        with self.assertRaises(UserError) as error:
            picking.move_ids._action_done()
        self.assertRegex(
            str(error.exception), "Test County Hospital.*L-001.*Revoked.*Test Cefalexin 250 mg.*delivered to"
        )
        self.assertEqual(picking.move_ids.state, "assigned")
        self._licence(self.customer, number="L-NEW")
        # The done step checks the outbound review too: reviewed, the delivery goes.
        reviewer = new_test_user(
            self.env, "lic_reviewer", groups="gsp_compliance.group_gsp_reviewer,stock.group_stock_user"
        )
        Wizard = self.env["gsp.signature.wizard"].with_user(reviewer)
        wizard = Wizard.browse(
            Wizard._open_for(picking.with_user(reviewer), "action_gsp_review", "reviewed")["res_id"]
        )
        wizard.write({"password": reviewer.login, "reason": "Lots and dates checked"})
        self.assertEqual(wizard.action_sign(), {"type": "ir.actions.act_window_close"})
        picking.move_ids._action_done()
        self.assertEqual(picking.move_ids.state, "done")

    def test_delivery_non_regulated_and_receipt(self):
        picking = self._picking(self.plain, self.customer)
        picking.move_ids._action_done()
        self.assertEqual(picking.move_ids.state, "done")
        receipt = self._picking(self.drug, self.supplier, outgoing=False)
        with self.assertRaises(UserError) as error:
            receipt.move_ids._action_done()
        self.assertRegex(str(error.exception), "Test Pharma Supplier.*no licence.*received from")
        self._licence(self.supplier)
        receipt.move_ids._action_done()
        self.assertEqual(receipt.move_ids.state, "done")


@tagged("post_install", "-at_install")
class TestGspLicenseCron(GspLicenseCommon):
    def _run_cron(self, day):
        with freeze_time(day):
            self.env["gsp.license"]._cron_gsp_license_daily()

    def test_cron_expires_licences(self):
        self.supplier.gsp_regulated_partner = True
        licence = self._licence(self.supplier, date_to=self.today + timedelta(days=1))
        self._run_cron(self.today + timedelta(days=1))
        self.assertEqual(licence.state, "approved")
        self._run_cron(self.today + timedelta(days=2))
        self.assertEqual(licence.state, "expired")
        self.supplier.invalidate_recordset(["gsp_qualification_state"])
        self.assertEqual(self.supplier.gsp_qualification_state, "unqualified")

    def test_cron_licence_warnings(self):
        licence = self._licence(self.supplier, date_to=self.today + timedelta(days=100))

        def warnings():
            licence.invalidate_recordset(["activity_ids"])
            return licence.activity_ids.filtered(lambda a: "Licence ends in" in a.summary)

        self._run_cron(self.today)
        self.assertFalse(warnings())
        for shift, count, warned in (
            (10, 1, 90),
            (11, 1, 90),
            (40, 2, 60),
            (45, 2, 60),
            (70, 3, 30),
            (95, 3, 30),
        ):
            self._run_cron(self.today + timedelta(days=shift))
            self.assertEqual(len(warnings()), count, f"after {shift} days")
            self.assertEqual(licence.gsp_warned_days, warned)
        self.assertEqual(warnings().user_id, self.manager)

    def test_cron_registration_warnings(self):
        template = self.drug.product_tmpl_id
        template.gsp_registration_expiry = self.today + timedelta(days=65)
        self._run_cron(self.today)
        template.invalidate_recordset(["activity_ids"])
        activities = template.activity_ids.filtered(lambda a: "Registration ends in" in a.summary)
        self.assertEqual(len(activities), 1)
        self.assertEqual(template.gsp_registration_warned_days, 90)
        self._run_cron(self.today + timedelta(days=1))
        template.invalidate_recordset(["activity_ids"])
        self.assertEqual(len(template.activity_ids), 1)
        self._run_cron(self.today + timedelta(days=5))
        template.invalidate_recordset(["activity_ids"])
        self.assertEqual(len(template.activity_ids), 2)
        self.assertEqual(template.gsp_registration_warned_days, 60)
        self.assertTrue(template.activity_ids.user_id)
        # A renewed registration starts the warnings again.
        template.gsp_registration_expiry = self.today + timedelta(days=2000)
        self.assertEqual(template.gsp_registration_warned_days, 0)
        self.plain.product_tmpl_id.gsp_registration_expiry = self.today + timedelta(days=10)
        self._run_cron(self.today)
        self.assertFalse(self.plain.product_tmpl_id.activity_ids)
