# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user


class BatchExpiryCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.expiry_warning_days = 90
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.stock = cls.warehouse.lot_stock_id
        cls.quarantine_location = cls.warehouse.quarantine_location_id
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.stock_user = new_test_user(
            cls.env, "be_stock", groups="stock.group_stock_user,stock.group_production_lot"
        )
        cls.quality_manager = new_test_user(
            cls.env, "be_qm", groups="capa.group_quality_manager,stock.group_production_lot"
        )
        cls.category = cls.env["product.category"].create({"name": "Antibiotics"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Test Cefalexin 250 mg",
                "is_storable": True,
                "tracking": "lot",
                "use_expiration_date": True,
                "expiration_time": 365,
                "categ_id": cls.category.id,
            }
        )
        cls.now = fields.Datetime.now()

    def new_lot(self, name, days=None, product=None, quantity=0.0, location=None):
        lot = self.env["stock.lot"].create(
            {
                "name": name,
                "product_id": (product or self.product).id,
                "company_id": self.company.id,
                "expiration_date": self.now + timedelta(days=days) if days is not None else False,
            }
        )
        if quantity:
            self.env["stock.quant"]._update_available_quantity(
                lot.product_id, location or self.stock, quantity, lot_id=lot
            )
        return lot

    def delivery(self, quantity, product=None):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "location_id": self.stock.id,
                "location_dest_id": self.customer_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "delivery",
                            "product_id": (product or self.product).id,
                            "product_uom_qty": quantity,
                            "location_id": self.stock.id,
                            "location_dest_id": self.customer_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def qty(self, lot, location):
        return sum(
            self.env["stock.quant"]
            .search([("lot_id", "=", lot.id), ("location_id", "=", location.id)])
            .mapped("quantity")
        )
