# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import RecallCase, decide


@tagged("post_install", "-at_install")
class TestRecallBlocking(RecallCase):
    """R3: the recalled lots are quarantined and nothing may sell, reserve or deliver them."""

    def sale_order(self, product, quantity):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer_2.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": quantity})],
            }
        )

    def test_quarantine_moves_every_affected_lot(self):
        event = self.started_event()
        quarantine = self.warehouse.quarantine_location_id
        self.assertTrue(self.lot.is_quarantined)
        self.assertIn(event.name, self.lot.quarantine_reason)
        self.assertEqual(self.qty(self.lot, quarantine), 50)
        self.assertEqual(self.qty(self.lot, self.stock) + self.qty(self.lot, self.shelf), 0)
        self.assertTrue(event.return_picking_ids, "the quarantine transfer is linked to the recall")
        self.assertFalse(self.other_lot.is_quarantined)

    def test_sale_and_reservation_skip_recalled_lots(self):
        self.started_event()
        order = self.sale_order(self.product, 10)
        order.action_confirm()
        lines = order.picking_ids.move_ids.move_line_ids
        self.assertTrue(lines)
        self.assertEqual(lines.lot_id, self.other_lot, "only the lot that is not recalled is reserved")

    def test_whole_product_recall_blocks_sale_orders(self):
        event = self.new_event(lines=[{"product_id": self.product.id}])
        event.action_submit()
        decide(event.with_user(self.quality_manager), "action_approve")
        event.action_start()
        order = self.sale_order(self.product, 1)
        with self.assertRefused(UserError, f"is Recalled as a whole \\({event.name}"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        # Other products still sell.
        self.sale_order(self.other_product, 1).action_confirm()

    def test_forcing_a_recalled_lot_on_a_delivery_is_refused(self):
        event = self.started_event()
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "location_id": self.output.id,
                "location_dest_id": self.customer_location.id,
                "partner_id": self.customer_1.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "forced",
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "location_id": self.output.id,
                            "location_dest_id": self.customer_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        # The lot can be named on the line (the reservation point does not choose it), but the done
        # step refuses it, and the quants stay as they were.
        picking.move_ids.write(
            {
                "move_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "lot_id": self.lot.id,
                            "quantity": 1,
                            "location_id": self.warehouse.quarantine_location_id.id,
                            "location_dest_id": self.customer_location.id,
                        }
                    )
                ]
            }
        )
        picking.move_ids.picked = True
        before = self.quant_rows(self.lot)
        with self.assertRefused(UserError, f"RC-L1 .* is Recalled \\({event.name}"):
            picking.button_validate()
        self.assertEqual(self.quant_rows(self.lot), before)
        self.assertNotEqual(picking.state, "done")

    def test_release_only_through_a_disposition_of_a_manager(self):
        event = self.started_event()
        with self.assertRefused(
            UserError, f"RC-L1 .* is Recalled \\({event.name}.*cannot be moved back to stock"
        ):
            self.lot.with_user(self.quality_manager).release_quarantine("Looks fine")
        quarantine = self.warehouse.quarantine_location_id
        disposition = self.env["recall.disposition"].create(
            {
                "event_id": event.id,
                "lot_id": self.lot.id,
                "quantity": 50,
                "location_id": quarantine.id,
                "action": "release",
            }
        )
        with self.assertRefused(AccessError, "Only a quality manager can release"):
            disposition.with_user(self.quality_user).action_execute()
        with self.assertRefused(UserError, "Give the reason"):
            disposition.with_user(self.quality_manager).action_execute()
        disposition.reason = "Laboratory retest of retained samples passed"
        decide(disposition.with_user(self.quality_manager), "action_execute")
        self.assertEqual(disposition.state, "done")
        self.assertFalse(self.lot.is_quarantined)
        self.assertEqual(self.qty(self.lot, self.stock), 50)
        # Released, the lot can be sold again although the recall is still in progress.
        order = self.sale_order(self.product, 60)
        order.action_confirm()
        self.assertIn(self.lot, order.picking_ids.move_ids.move_line_ids.lot_id)

    def test_mock_recall_blocks_nothing(self):
        event = self.new_event(is_mock=True)
        event.action_start()
        self.assertFalse(self.lot.is_quarantined)
        order = self.sale_order(self.product, 60)
        order.action_confirm()
        self.assertIn(self.lot, order.picking_ids.move_ids.move_line_ids.lot_id)
