# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import base64

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import RecallCase


@tagged("post_install", "-at_install")
class TestRecallExecution(RecallCase):
    """R7: returns into quarantine, dispositions as real stock operations, costs."""

    def acknowledged_event(self):
        event = self.started_event()
        event.notice_ids.write({"state": "sent"})
        for notice in event.notice_ids:
            notice._acknowledge(
                {line: (line.qty_delivered, line.qty_delivered - 1) for line in notice.line_ids}
            )
        return event

    def test_returns_into_quarantine_update_recovery(self):
        event = self.acknowledged_event()
        event.action_create_returns()
        returns = event.notice_ids.return_picking_ids
        self.assertEqual(len(returns), 3)
        quarantine = self.warehouse.quarantine_location_id
        self.assertEqual(returns.location_dest_id, quarantine)
        self.assertEqual([picking.picking_type_id.code for picking in returns], ["incoming"] * 3)
        self.assertEqual(sum(returns.move_ids.mapped("product_uom_qty")), 14 + 14 + 9)
        with self.assertRefused(UserError, "nothing to return yet"):
            event.action_create_returns()
        self.assertEqual(event.qty_recovered, 0)
        for picking in returns:
            picking.move_ids.picked = True
            picking._action_done()
        self.assertEqual(
            event.notice_ids.line_ids.mapped("qty_returned"),
            event.notice_ids.line_ids.mapped("qty_to_return"),
        )
        self.assertEqual(event.qty_recovered, 37)
        self.assertAlmostEqual(event.recovery_rate, 100 * 37 / 40, places=2)
        self.assertEqual(self.qty(self.lot, quarantine), 50 + 37)

    def test_destroy_needs_the_destruction_record_and_scraps(self):
        event = self.acknowledged_event()
        quarantine = self.warehouse.quarantine_location_id
        disposition = self.env["recall.disposition"].create(
            {
                "event_id": event.id,
                "lot_id": self.lot.id,
                "quantity": 20,
                "location_id": quarantine.id,
                "action": "destroy",
            }
        )
        with self.assertRefused(UserError, "Attach the destruction record"):
            disposition.action_execute()
        self.assertEqual(disposition.state, "draft")
        self.env["ir.attachment"].create(
            {
                "name": "destruction-certificate.pdf",
                "datas": base64.b64encode(b"%PDF-1.4 certificate"),
                "res_model": "recall.disposition",
                "res_id": disposition.id,
            }
        )
        disposition.action_execute()
        self.assertEqual(disposition.state, "done")
        self.assertEqual(disposition.scrap_id.state, "done")
        self.assertEqual(disposition.scrap_id.scrap_qty, 20)
        self.assertEqual(self.qty(self.lot, quarantine), 30)
        scrap_files = self.env["ir.attachment"].search(
            [("res_model", "=", "stock.scrap"), ("res_id", "=", disposition.scrap_id.id)]
        )
        self.assertEqual(scrap_files.name, "destruction-certificate.pdf")

    def test_return_to_vendor_rework_and_quantity_check(self):
        event = self.acknowledged_event()
        quarantine = self.warehouse.quarantine_location_id
        to_vendor = self.env["recall.disposition"].create(
            {
                "event_id": event.id,
                "lot_id": self.lot.id,
                "quantity": 10,
                "location_id": quarantine.id,
                "action": "return_to_vendor",
            }
        )
        self.assertEqual(to_vendor.supplier_id, self.supplier, "the supplier of the lot, from the trace")
        to_vendor.action_execute()
        self.assertEqual(to_vendor.picking_id.state, "done")
        self.assertEqual(to_vendor.picking_id.partner_id, self.supplier)
        self.assertEqual(to_vendor.picking_id.location_dest_id.usage, "supplier")
        rework = self.env["recall.disposition"].create(
            {
                "event_id": event.id,
                "lot_id": self.lot.id,
                "quantity": 5,
                "location_id": quarantine.id,
                "action": "rework",
            }
        )
        rework.action_execute()
        self.assertTrue(rework.picking_id.location_dest_id.is_quarantine)
        self.assertEqual(self.qty(self.lot, quarantine), 35)
        self.assertEqual(self.qty(self.lot, rework.picking_id.location_dest_id), 5)
        too_much = self.env["recall.disposition"].create(
            {
                "event_id": event.id,
                "lot_id": self.lot.id,
                "quantity": 99,
                "location_id": quarantine.id,
                "action": "rework",
            }
        )
        with self.assertRefused(UserError, "Only 35.0 .* of lot RC-L1 are in"):
            too_much.action_execute()
        # The trace now shows the return to the supplier.
        event.action_trace()
        returned = event.trace_line_ids.filtered(lambda t: t.kind == "supplier_receipt" and t.quantity < 0)
        self.assertEqual(returned.quantity, -10)

    def test_costs_add_up_in_company_currency(self):
        event = self.acknowledged_event()
        self.env["recall.cost"].create(
            [
                {
                    "event_id": event.id,
                    "cost_type": "logistics",
                    "amount": 120.5,
                    "partner_id": self.customer_1.id,
                },
                {"event_id": event.id, "cost_type": "destruction", "amount": 300},
            ]
        )
        self.assertEqual(event.cost_total, 420.5)
