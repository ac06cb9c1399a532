# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import decide


@tagged("post_install", "-at_install")
class TestRecallTour(HttpCase):
    def test_recall_a_lot_from_its_form_and_start(self):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        product = self.env["product.product"].create(
            {"name": "Tour Saline Bag", "is_storable": True, "tracking": "lot"}
        )
        lot = self.env["stock.lot"].create(
            {"name": "TOUR-RC-1", "product_id": product.id, "company_id": self.env.company.id}
        )
        customer = self.env["res.partner"].create({"name": "Tour Pharmacy", "is_company": True})
        self.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 20, lot_id=lot)
        delivery = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": customer.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": 8,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                        }
                    )
                ],
            }
        )
        delivery.action_confirm()
        delivery.action_assign()
        delivery.move_ids.picked = True
        delivery._action_done()
        admin = self.env.ref("base.user_admin")
        admin.groups_id += self.env.ref("capa.group_quality_manager") + self.env.ref(
            "stock.group_production_lot"
        )
        self.start_tour(
            f"/odoo/action-stock.action_production_lot_form/{lot.id}",
            "recall_management_recall_from_lot",
            login="admin",
        )
        event = self.env["recall.event"].search([("line_ids.lot_id", "=", lot.id)])
        self.assertEqual(event.state, "assessment")
        decide(event.with_user(admin), "action_approve")
        self.start_tour(
            f"/odoo/action-recall_management.recall_event_action/{event.id}",
            "recall_management_start_recall",
            login="admin",
        )
        self.assertEqual(event.state, "in_progress")
        self.assertEqual(event.level_id, self.env.ref("recall_management.recall_level_2"))
        self.assertEqual(event.approved_by_id, admin)
        self.assertTrue(lot.is_quarantined)
        self.assertEqual(event.notice_ids.partner_id, customer)
        self.assertEqual(event.notice_ids.line_ids.qty_delivered, 8)
