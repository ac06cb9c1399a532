# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BatchExpiryCase


@tagged("post_install", "-at_install")
class TestDeliveryRules(BatchExpiryCase):
    """E2/E3: deliveries take first-expiring lots, never expired ones, never lots shorter than the
    customer's shelf-life contract; validating such a delivery is refused to everyone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hospital = cls.env["res.partner"].create(
            {"name": "Test General Hospital", "min_shelf_life_days": 180}
        )
        cls.pharmacy = cls.env["res.partner"].create({"name": "Test Corner Pharmacy"})

    def delivery_to(self, partner, quantity, lot=None):
        picking = self.delivery(quantity)
        picking.partner_id = partner
        picking.do_unreserve()
        if lot:
            picking.move_ids.move_line_ids = [
                Command.create(
                    {
                        "product_id": self.product.id,
                        "lot_id": lot.id,
                        "quantity": quantity,
                        "location_id": self.stock.id,
                        "location_dest_id": self.customer_location.id,
                    }
                )
            ]
        else:
            picking.action_assign()
        return picking

    def test_first_expiring_first_out(self):
        later = self.new_lot("LATE", days=400, quantity=5)
        sooner = self.new_lot("SOON", days=200, quantity=5)
        picking = self.delivery_to(self.pharmacy, 6)
        lines = picking.move_ids.move_line_ids.sorted(lambda line: line.lot_id.expiration_date)
        self.assertEqual(lines.lot_id, sooner | later)
        self.assertEqual(lines[0].quantity, 5, "the first-expiring lot is taken whole first")

    def test_expired_lots_are_not_reserved_for_customers(self):
        self.new_lot("DEAD", days=-2, quantity=10)
        good = self.new_lot("GOOD", days=300, quantity=10)
        picking = self.delivery_to(self.pharmacy, 15)
        self.assertEqual(picking.move_ids.move_line_ids.lot_id, good)
        self.assertEqual(picking.move_ids.quantity, 10)

    def test_expired_lot_cannot_be_delivered_by_anyone(self):
        dead = self.new_lot("DEAD2", days=-1, quantity=4)
        picking = self.delivery_to(self.pharmacy, 4, lot=dead)
        picking.move_ids.picked = True
        with self.assertRaises(UserError) as caught:
            picking.sudo().button_validate()
        message = str(caught.exception)
        self.assertIn("DEAD2", message)
        self.assertIn("expired on", message)
        self.assertIn("quarantine", message)
        self.assertEqual(picking.state, "assigned")

    def test_expired_lot_may_go_to_scrap_or_back_to_the_supplier(self):
        dead = self.new_lot("DEAD3", days=-1, quantity=4)
        supplier_location = self.env.ref("stock.stock_location_suppliers")
        back = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "location_id": self.stock.id,
                "location_dest_id": supplier_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "return",
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "location_id": self.stock.id,
                            "location_dest_id": supplier_location.id,
                            "move_line_ids": [
                                Command.create(
                                    {
                                        "product_id": self.product.id,
                                        "lot_id": dead.id,
                                        "quantity": 2,
                                        "location_id": self.stock.id,
                                        "location_dest_id": supplier_location.id,
                                    }
                                )
                            ],
                        }
                    )
                ],
            }
        )
        back.move_ids.picked = True
        back.button_validate()
        self.assertEqual(back.state, "done")
        scrap = self.env["stock.scrap"].create(
            {"product_id": self.product.id, "lot_id": dead.id, "scrap_qty": 2, "location_id": self.stock.id}
        )
        scrap.action_validate()
        self.assertEqual(scrap.state, "done")

    def test_customer_shelf_life_contract_in_reservation(self):
        short = self.new_lot("SHORT", days=100, quantity=10)
        long_ = self.new_lot("LONG", days=300, quantity=10)
        picking = self.delivery_to(self.hospital, 15)
        self.assertEqual(picking.move_ids.move_line_ids.lot_id, long_)
        self.assertEqual(picking.move_ids.quantity, 10)
        self.assertEqual(self.delivery_to(self.pharmacy, 5).move_ids.move_line_ids.lot_id, short)

    def test_customer_shelf_life_contract_at_validation(self):
        short = self.new_lot("SHORT2", days=100, quantity=10)
        picking = self.delivery_to(self.hospital, 3, lot=short)
        picking.move_ids.picked = True
        with self.assertRaises(UserError) as caught:
            picking.button_validate()
        message = str(caught.exception)
        self.assertIn("SHORT2", message)
        self.assertIn("180 days", message)
        self.assertRegex(message, r"(99|100) days of shelf life left")
        # The same lot to a customer without a contract goes.
        other = self.delivery_to(self.pharmacy, 3, lot=short)
        other.move_ids.picked = True
        other.button_validate()
        self.assertEqual(other.state, "done")
