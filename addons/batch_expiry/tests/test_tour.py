# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestQuarantineTour(HttpCase):
    def test_quarantine_a_lot_from_its_form(self):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        product = self.env["product.product"].create(
            {"name": "Tour Insulin Pen", "is_storable": True, "tracking": "lot", "use_expiration_date": True}
        )
        lot = self.env["stock.lot"].create(
            {"name": "TOUR-LOT-1", "product_id": product.id, "company_id": self.env.company.id}
        )
        self.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 6, lot_id=lot)
        self.env.ref("base.user_admin").groups_id += self.env.ref("stock.group_production_lot")
        self.start_tour(
            f"/odoo/action-stock.action_production_lot_form/{lot.id}",
            "batch_expiry_quarantine_lot",
            login="admin",
        )
        self.assertTrue(lot.is_quarantined)
        self.assertEqual(lot.quarantine_reason, "Broken seals found during the cycle count")
        self.assertEqual(lot.quarantine_event_ids.picking_ids.state, "done")
        self.assertEqual(
            lot.quarantine_event_ids.picking_ids.location_dest_id, warehouse.quarantine_location_id
        )
