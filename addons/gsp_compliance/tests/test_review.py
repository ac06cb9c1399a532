# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .test_acceptance import GspFlowMixin


@tagged("post_install", "-at_install")
class TestGspOutboundReview(GspFlowMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_gsp_flow()
        cls.lot = cls._lot("REV-1", days=300)
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.stock, 20.0, lot_id=cls.lot)
        cls.plain_lot = cls._lot("REV-PLAIN", product=cls.plain_product)
        cls.env["stock.quant"]._update_available_quantity(
            cls.plain_product, cls.stock, 20.0, lot_id=cls.plain_lot
        )

    def _delivery(self, product=None, quantity=5.0, responsible=None):
        """A delivery to the customer, reserved by the preparer."""
        product = product or self.product
        picking = (
            self.env["stock.picking"]
            .with_user(self.preparer)
            .create(
                {
                    "picking_type_id": self.warehouse.out_type_id.id,
                    "partner_id": self.customer.id,
                    "user_id": (responsible or self.preparer).id,
                    "location_id": self.stock.id,
                    "location_dest_id": self.customer_location.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": product.name,
                                "product_id": product.id,
                                "product_uom": product.uom_id.id,
                                "product_uom_qty": quantity,
                                "location_id": self.stock.id,
                                "location_dest_id": self.customer_location.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(picking.state, "assigned")
        return picking

    def test_validation_refused_before_review(self):
        picking = self._delivery()
        self.assertTrue(picking.gsp_review_required)
        self.assertEqual(picking.gsp_review_state, "to_review")
        with self.assertRaises(UserError) as error:
            picking.with_user(self.stock_user).button_validate()
        self.assertRegex(str(error.exception), "needs a review by a reviewer who did not prepare it")
        with self.assertRaises(UserError):
            picking.with_user(self.stock_user)._action_done()
        self.assertEqual(picking.state, "assigned")

    def test_review_refused_for_preparer(self):
        # The preparer reserved the lines; another reviewer is responsible: still refused.
        picking = self._delivery(responsible=self.reviewer)
        with self.assertRaises(UserError) as error:
            picking.with_user(self.preparer).action_gsp_review()
        self.assertRegex(str(error.exception), "You prepared")
        # The responsible of the delivery is a preparer too.
        picking = self._delivery(responsible=self.reviewer)
        with self.assertRaises(UserError) as error:
            self._sign(picking, "action_gsp_review", "reviewed", self.reviewer)
        self.assertRegex(str(error.exception), "You prepared")
        self.assertFalse(picking.gsp_review_user_id)

    def test_review_refused_for_non_reviewers(self):
        picking = self._delivery()
        for user in (self.stock_user, self.acceptor):
            with self.assertRaises(AccessError) as error:
                picking.with_user(user).action_gsp_review()
            self.assertRegex(str(error.exception), "Only a GSP reviewer")

    def test_review_requires_signature(self):
        picking = self._delivery()
        with self.assertRaises(UserError) as error:
            picking.with_user(self.reviewer).action_gsp_review()
        self.assertRegex(str(error.exception), "requires an electronic signature")
        self.assertFalse(picking.gsp_review_user_id)

    def test_review_records_lots_then_validation_passes(self):
        picking = self._delivery()
        self._sign(picking, "action_gsp_review", "reviewed", self.reviewer)
        self.assertEqual(picking.gsp_review_user_id, self.reviewer)
        self.assertTrue(picking.gsp_review_date)
        self.assertEqual(picking.gsp_review_signature_id.meaning, "reviewed")
        self.assertEqual(picking.gsp_review_state, "reviewed")
        snapshot = str(picking.gsp_review_snapshot)
        self.assertIn("REV-1", snapshot)
        expiry = fields.Date.to_string(fields.Date.context_today(picking, self.lot.expiration_date))
        self.assertIn(expiry, snapshot)
        picking.with_user(self.stock_user).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.gsp_review_state, "reviewed")

    def test_change_after_review_calls_for_new_review(self):
        picking = self._delivery()
        self._sign(picking, "action_gsp_review", "reviewed", self.reviewer)
        picking.move_line_ids.with_user(self.stock_user).write({"quantity": 4.0, "picked": True})
        self.assertEqual(picking.gsp_review_state, "changed")
        with self.assertRaises(UserError) as error:
            picking.with_user(self.stock_user).with_context(cancel_backorder=True)._action_done()
        self.assertRegex(str(error.exception), "changed after")
        # The stock user changed the lines: the reviewer, who did not, reviews again.
        self._sign(picking, "action_gsp_review", "reviewed", self.reviewer)
        self.assertEqual(picking.gsp_review_state, "reviewed")
        picking.with_user(self.stock_user).with_context(cancel_backorder=True)._action_done()
        self.assertEqual(picking.state, "done")

    def _transfer(self, picking_type):
        picking = (
            self.env["stock.picking"]
            .with_user(self.preparer)
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "partner_id": self.customer.id,
                    "location_id": self.stock.id,
                    "location_dest_id": self.customer_location.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": self.product.name,
                                "product_id": self.product.id,
                                "product_uom": self.product.uom_id.id,
                                "product_uom_qty": 2.0,
                                "location_id": self.stock.id,
                                "location_dest_id": self.customer_location.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_line_ids.write({"lot_id": self.lot.id, "quantity": 2.0, "picked": True})
        return picking

    def test_every_operation_type_to_a_customer_needs_the_review(self):
        """Regulated stock sent to a customer under a receipt-type or internal-type transfer is a
        delivery too: refused without the review, at validation and at the done step."""
        for picking_type in (self.warehouse.in_type_id, self.warehouse.int_type_id):
            with self.subTest(picking_type=picking_type.name):
                picking = self._transfer(picking_type)
                self.assertTrue(picking.gsp_review_required)
                with self.assertRaises(UserError) as error:
                    picking.with_user(self.stock_user).button_validate()
                self.assertRegex(str(error.exception), "needs a review")
                with self.assertRaises(UserError):
                    picking.move_ids.with_user(self.stock_user)._action_done()
                self.assertEqual(picking.state, "assigned")
                self.assertEqual(
                    self.lot.quant_ids.filtered(lambda q: q.location_id == self.customer_location).quantity, 0
                )

    def test_a_change_of_customer_or_destination_voids_the_review(self):
        other_customer = self.supplier  # qualified too
        ward = self.env["stock.location"].create(
            {"name": "Ward 3", "usage": "customer", "location_id": self.customer_location.id}
        )
        for change in ({"partner_id": other_customer.id}, {"location_dest_id": ward.id}):
            with self.subTest(change=change):
                picking = self._delivery()
                self._sign(picking, "action_gsp_review", "reviewed", self.reviewer)
                self.assertEqual(picking.gsp_review_state, "reviewed")
                picking.with_user(self.stock_user).write(change)
                self.assertEqual(picking.gsp_review_state, "changed")
                with self.assertRaises(UserError) as error:
                    picking.with_user(self.stock_user).button_validate()
                self.assertRegex(str(error.exception), "changed after")

    def test_a_move_without_a_transfer_cannot_deliver_regulated_stock(self):
        move = self.env["stock.move"].create(
            {
                "name": "no transfer",
                "product_id": self.product.id,
                "product_uom": self.product.uom_id.id,
                "product_uom_qty": 1.0,
                "location_id": self.stock.id,
                "location_dest_id": self.customer_location.id,
            }
        )
        move._action_confirm()
        move._action_assign()
        move.move_line_ids.write({"lot_id": self.lot.id, "quantity": 1.0, "picked": True})
        with self.assertRaises(UserError) as error:
            move.with_user(self.stock_user)._action_done()
        self.assertRegex(str(error.exception), "not by a move on its own")
        self.assertNotEqual(move.state, "done")

    def test_non_regulated_delivery_needs_no_review(self):
        picking = self._delivery(product=self.plain_product)
        self.assertFalse(picking.gsp_review_required)
        self.assertEqual(picking.gsp_review_state, "not_required")
        picking.with_user(self.stock_user).button_validate()
        self.assertEqual(picking.state, "done")
        with self.assertRaises(UserError):
            picking.with_user(self.reviewer).action_gsp_review()
