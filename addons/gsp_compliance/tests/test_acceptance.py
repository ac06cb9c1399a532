# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.batch_expiry.tests.common import QuantTableMixin


class GspFlowMixin:
    """Data for receipts and deliveries of a regulated product between qualified partners."""

    @classmethod
    def _setup_gsp_flow(cls):
        env = cls.env
        cls.company = env.company
        cls.warehouse = env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.warehouse._create_quarantine_setup()
        cls.stock = cls.warehouse.lot_stock_id
        cls.quarantine = cls.warehouse.quarantine_location_id
        cls.supplier_location = env.ref("stock.stock_location_suppliers")
        cls.customer_location = env.ref("stock.stock_location_customers")
        lot_group = "stock.group_production_lot"
        cls.acceptor = new_test_user(
            env,
            "gsp_acc_acceptor",
            groups=f"gsp_compliance.group_gsp_acceptor,{lot_group}",
            name="Ada Acceptor",
        )
        cls.reviewer = new_test_user(
            env,
            "gsp_acc_reviewer",
            groups=f"gsp_compliance.group_gsp_reviewer,{lot_group}",
            name="Rui Reviewer",
        )
        cls.preparer = new_test_user(
            env,
            "gsp_acc_preparer",
            groups=f"gsp_compliance.group_gsp_reviewer,stock.group_stock_user,{lot_group}",
            name="Pia Picker",
        )
        cls.stock_user = new_test_user(
            env, "gsp_acc_stock", groups=f"stock.group_stock_user,{lot_group}", name="Wes Warehouse"
        )
        cls.quality_user = new_test_user(
            env, "gsp_acc_quality", groups=f"capa.group_quality_user,{lot_group}", name="Quinn Quality"
        )
        cls.buyer = new_test_user(
            env,
            "gsp_acc_buyer",
            groups=f"purchase.group_purchase_user,gsp_compliance.group_gsp_acceptor,{lot_group}",
            name="Bo Buyer",
        )
        cls.category = env["product.category"].create({"name": "GSP Acceptance Test Drugs"})
        cls.product = env["product.product"].create(
            {
                "name": "Test Insulin Pen",
                "is_storable": True,
                "tracking": "lot",
                "categ_id": cls.category.id,
                "gsp_regulated": True,
                "gsp_registration_number": "国药准字H00000001",
                "gsp_registration_holder": "Test Holder",
                "gsp_registration_expiry": fields.Date.today() + timedelta(days=720),
                "has_storage_range": True,
                "storage_temp_min": 2.0,
                "storage_temp_max": 8.0,
            }
        )
        cls.plain_product = env["product.product"].create(
            {"name": "Test Cotton Swabs", "is_storable": True, "tracking": "lot", "categ_id": cls.category.id}
        )
        cls.supplier, cls.customer = env["res.partner"].create(
            [
                {"name": "GSP Test Supplier", "is_company": True},
                {"name": "GSP Test Hospital", "is_company": True},
            ]
        )
        env["gsp.license"].create(
            [
                {
                    "partner_id": partner.id,
                    "license_type": "drug_business",
                    "number": f"LIC-ACC-{partner.id}",
                    "issuer": "Test MPA",
                    "category_ids": [Command.set(cls.category.ids)],
                    "date_from": fields.Date.today() - timedelta(days=30),
                    "date_to": fields.Date.today() + timedelta(days=365),
                    "state": "approved",
                    "company_id": cls.company.id,
                }
                for partner in (cls.supplier, cls.customer)
            ]
        )

    @classmethod
    def _lot(cls, name, product=None, days=400):
        return cls.env["stock.lot"].create(
            {
                "name": name,
                "product_id": (product or cls.product).id,
                "company_id": cls.company.id,
                "expiration_date": fields.Datetime.now() + timedelta(days=days),
            }
        )

    @classmethod
    def _receipt(cls, lot, quantity=10.0, product=None, user=None):
        """A validated receipt of ``quantity`` of ``lot`` from the supplier."""
        product = product or cls.product
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.warehouse.in_type_id.id,
                "partner_id": cls.supplier.id,
                "location_id": cls.supplier_location.id,
                "location_dest_id": cls.stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom": product.uom_id.id,
                            "product_uom_qty": quantity,
                            "location_id": cls.supplier_location.id,
                            "location_dest_id": cls.stock.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_line_ids.write({"lot_id": lot.id, "quantity": quantity})
        picking.with_user(user or cls.stock_user).button_validate()
        return picking

    def _fill(self, acceptance, conclusion="accepted", **values):
        vals = {
            "check_packaging": "pass",
            "check_labelling": "pass",
            "check_documents": "pass",
            "arrival_temperature": 5.0,
            "qty_sampled": 1.0,
            "conclusion": conclusion,
        }
        vals.update(values)
        acceptance.with_user(self.acceptor).write(vals)

    def _sign(self, records, method, meaning, user, reason="Checked"):
        Wizard = self.env["gsp.signature.wizard"].with_user(user)
        action = Wizard._open_for(records.with_user(user), method, meaning)
        wizard = Wizard.browse(action["res_id"])
        wizard.write({"password": user.login, "reason": reason})
        return wizard.action_sign()


@tagged("post_install", "-at_install")
class TestGspAcceptance(GspFlowMixin, QuantTableMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_gsp_flow()

    def _quarantine_qty(self, lot):
        return self.qty(lot, self.quarantine)

    def _stock_qty(self, lot):
        return self.qty(lot, self.stock)

    def _held_as(self, lot):
        lot.invalidate_recordset(["release_state", "release_rule_ids", "release_reasons"])
        return lot.release_rule_ids.mapped("code")

    def test_receipt_quarantines_lot_and_creates_pending_acceptance(self):
        lot = self._lot("ACC-T1")
        receipt = self._receipt(lot, 10.0)
        self.assertEqual(receipt.state, "done")
        acceptance = receipt.gsp_acceptance_ids
        self.assertEqual(len(acceptance), 1)
        self.assertEqual(acceptance.state, "pending")
        self.assertRegex(acceptance.name, r"^ACC/\d{4}/\d{5}$")
        self.assertEqual(acceptance.lot_id, lot)
        self.assertEqual(acceptance.qty_received, 10.0)
        self.assertEqual(acceptance.move_line_id, receipt.move_line_ids)
        self.assertEqual(receipt.gsp_acceptance_count, 1)
        # Held back by its own status (not a quality quarantine), its stock in quarantine.
        self.assertEqual(self._held_as(lot), ["awaiting_acceptance"])
        self.assertFalse(lot.is_quarantined)
        self.assertEqual(self.quant_rows(lot), [(self.quarantine.complete_name, 10.0, 0.0)])
        self.assertQuantsExact(self.product)
        self.assertIn(self.acceptor, acceptance.activity_ids.user_id)
        self.assertNotIn(self.stock_user, acceptance.activity_ids.user_id)

    def test_non_regulated_receipt_is_not_affected(self):
        lot = self._lot("ACC-PLAIN", product=self.plain_product)
        receipt = self._receipt(lot, 5.0, product=self.plain_product)
        self.assertEqual(receipt.state, "done")
        self.assertFalse(receipt.gsp_acceptance_ids)
        self.assertEqual(self._held_as(lot), [])
        self.assertEqual(self._stock_qty(lot), 5.0)

    def test_conclude_requires_signature(self):
        acceptance = self._receipt(self._lot("ACC-T2")).gsp_acceptance_ids
        self._fill(acceptance)
        with self.assertRaises(UserError) as error:
            acceptance.with_user(self.acceptor).action_conclude()
        self.assertRegex(str(error.exception), "requires an electronic signature")
        self.assertEqual(acceptance.state, "pending")

    def test_conclude_refused_for_non_acceptors(self):
        acceptance = self._receipt(self._lot("ACC-T3")).gsp_acceptance_ids
        self._fill(acceptance)
        for user in (self.quality_user, self.stock_user):
            with self.assertRaises(AccessError) as error:
                acceptance.with_user(user).action_conclude()
            self.assertRegex(str(error.exception), "Only a GSP acceptor")
        self.assertEqual(acceptance.state, "pending")
        self.assertEqual(self._held_as(acceptance.lot_id), ["awaiting_acceptance"])

    def test_conclude_refused_for_purchase_confirmer(self):
        order = (
            self.env["purchase.order"]
            .with_user(self.buyer)
            .create(
                {
                    "partner_id": self.supplier.id,
                    "user_id": False,
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_qty": 6.0, "price_unit": 3.0})
                    ],
                }
            )
        )
        order.with_user(self.buyer).button_confirm()
        self.assertEqual(order.gsp_confirm_user_id, self.buyer)
        receipt = order.picking_ids
        lot = self._lot("ACC-PO")
        receipt.move_line_ids.write({"lot_id": lot.id, "quantity": 6.0})
        receipt.with_user(self.stock_user).button_validate()
        acceptance = receipt.gsp_acceptance_ids
        self.assertEqual(acceptance.purchase_id, order)
        self._fill(acceptance)
        with self.assertRaises(UserError) as error:
            self._sign(acceptance, "action_conclude", "accepted", self.buyer)
        self.assertRegex(str(error.exception), "you bought these goods")
        self.assertEqual(acceptance.state, "pending")
        # Another acceptor can.
        self._sign(acceptance, "action_conclude", "accepted", self.acceptor)
        self.assertEqual(acceptance.state, "concluded")

    def test_sampled_above_received_refused_and_nothing_saved(self):
        acceptance = self._receipt(self._lot("ACC-T4"), 10.0).gsp_acceptance_ids
        with self.assertRaises(ValidationError) as error:
            acceptance.with_user(self.acceptor).write({"qty_sampled": 11.0, "check_packaging": "pass"})
        self.assertRegex(str(error.exception), "sampled quantity .* above the received quantity")
        acceptance.invalidate_recordset()
        self.assertEqual(acceptance.qty_sampled, 0.0)
        self.assertFalse(acceptance.check_packaging)

    def test_conclude_needs_every_check_and_passing_checks_to_accept(self):
        acceptance = self._receipt(self._lot("ACC-T5")).gsp_acceptance_ids
        self._fill(acceptance, check_documents=False)
        with self.assertRaises(UserError) as error:
            acceptance.with_user(self.acceptor).action_conclude()
        self.assertRegex(str(error.exception), "fill in Documents")
        self._fill(acceptance, check_documents="fail")
        with self.assertRaises(UserError) as error:
            acceptance.with_user(self.acceptor).action_conclude()
        self.assertRegex(str(error.exception), "Documents check failed")
        self._fill(acceptance, arrival_temperature=12.0)
        with self.assertRaises(UserError) as error:
            acceptance.with_user(self.acceptor).action_conclude()
        self.assertRegex(str(error.exception), "outside the storage range")
        self.assertEqual(acceptance.state, "pending")

    def test_accepted_releases_lot_with_signature(self):
        lot = self._lot("ACC-T6")
        acceptance = self._receipt(lot, 10.0).gsp_acceptance_ids
        self._fill(acceptance)
        self._sign(acceptance, "action_conclude", "accepted", self.acceptor)
        self.assertEqual(acceptance.state, "concluded")
        self.assertEqual(acceptance.acceptor_id, self.acceptor)
        self.assertTrue(acceptance.date_concluded)
        self.assertEqual(acceptance.signature_id.meaning, "accepted")
        self.assertEqual(acceptance.signature_id.user_id, self.acceptor)
        self.assertEqual(self._held_as(lot), [])
        self.assertEqual(self.quant_rows(lot), [(self.stock.complete_name, 10.0, 0.0)])
        self.assertQuantsExact(self.product)
        self.assertFalse(acceptance.activity_ids)
        # Concluded: the checks are locked.
        with self.assertRaises(UserError):
            acceptance.with_user(self.acceptor).write({"check_packaging": "fail"})

    def test_rejected_keeps_quarantine_and_returns_to_vendor(self):
        lot = self._lot("ACC-T7")
        acceptance = self._receipt(lot, 10.0).gsp_acceptance_ids
        self._fill(acceptance, conclusion="rejected", check_packaging="fail")
        self._sign(acceptance, "action_conclude", "rejected", self.acceptor, reason="Crushed cartons")
        self.assertEqual(acceptance.state, "concluded")
        self.assertEqual(acceptance.signature_id.meaning, "rejected")
        self.assertEqual(self._held_as(lot), ["rejected"])
        self.assertEqual(self.quant_rows(lot), [(self.quarantine.complete_name, 10.0, 0.0)])
        acceptance.with_user(self.acceptor).action_return_to_vendor()
        back = acceptance.return_picking_id
        self.assertEqual(back.picking_type_code, "outgoing")
        self.assertEqual(back.partner_id, self.supplier)
        self.assertEqual(back.location_id, self.quarantine)
        self.assertEqual(back.location_dest_id.usage, "supplier")
        self.assertEqual(back.state, "assigned")
        self.assertEqual(back.move_line_ids.lot_id, lot)
        self.assertEqual(back.move_line_ids.quantity, 10.0)
        self.assertFalse(back.gsp_review_required)
        # Left ready: the warehouse validates it when the goods leave.
        back.with_user(self.stock_user).button_validate()
        self.assertEqual(back.state, "done")
        self.assertEqual(self.quant_rows(lot), [])
        self.assertQuantsExact(self.product)
        # Its stock back with the vendor, the rejection holds nothing any more.
        self.assertEqual(self._held_as(lot), [])

    def test_a_lot_awaiting_acceptance_is_held_everywhere(self):
        lot = self._lot("ACC-HOLD")
        self._receipt(lot, 10.0)
        # Not reserved for a delivery, even with its stock put back in WH/Stock by hand...
        self.env["stock.quant"]._update_available_quantity(self.product, self.stock, 2, lot_id=lot)
        delivery = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "partner_id": self.customer.id,
                "location_id": self.stock.id,
                "location_dest_id": self.customer_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "delivery",
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "location_id": self.stock.id,
                            "location_dest_id": self.customer_location.id,
                        }
                    )
                ],
            }
        )
        delivery.action_confirm()
        delivery.action_assign()
        self.assertFalse(delivery.move_ids.move_line_ids)
        self.assertIn("ACC-HOLD", delivery.release_held_note)
        # ... and refused when named by hand, whatever the picking type (an internal one here, to
        # which the outbound review does not apply).
        delivery.picking_type_id = self.warehouse.int_type_id
        delivery.move_ids.move_line_ids = [
            Command.create(
                {
                    "picking_id": delivery.id,
                    "product_id": self.product.id,
                    "lot_id": lot.id,
                    "quantity": 2,
                    "location_id": self.stock.id,
                    "location_dest_id": self.customer_location.id,
                }
            )
        ]
        delivery.move_ids.picked = True
        with self.assertRaises(UserError) as error:
            delivery.with_user(self.stock_user)._action_done()
        self.assertRegex(str(error.exception), "ACC-HOLD .* is Awaiting Acceptance")
        self.assertNotEqual(delivery.state, "done")

    def test_a_second_receipt_of_a_pending_lot_goes_into_quarantine(self):
        lot = self._lot("ACC-TWICE")
        self._receipt(lot, 10.0)
        with self.assertRaises(UserError) as error:
            self._receipt(lot, 5.0)
        self.assertRegex(
            str(error.exception), "ACC-TWICE .* is Awaiting Acceptance .* cannot be moved to WH/Stock"
        )
        self.assertEqual(self.quant_rows(lot), [(self.quarantine.complete_name, 10.0, 0.0)])
        self.assertQuantsExact(self.product)

    def test_return_to_vendor_only_when_rejected(self):
        acceptance = self._receipt(self._lot("ACC-T8")).gsp_acceptance_ids
        with self.assertRaises(UserError):
            acceptance.with_user(self.acceptor).action_return_to_vendor()

    def test_acceptances_are_retained(self):
        receipt = self._receipt(self._lot("ACC-T9"))
        acceptance = receipt.gsp_acceptance_ids
        with self.assertRaises(UserError) as error:
            acceptance.unlink()
        self.assertRegex(str(error.exception), "cannot be deleted")
        self._fill(acceptance)
        self._sign(acceptance, "action_conclude", "accepted", self.acceptor)
        with self.assertRaises(UserError):
            acceptance.unlink()
        acceptance.action_archive()
        self.assertFalse(acceptance.active)
