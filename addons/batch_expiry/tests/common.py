# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user

from .quant_checks import quant_problems


class QuantTableMixin:
    """Assertions on the quant table itself, not on sums (+10 and -10 would pass as 0)."""

    def quant_rows(self, lot):
        """[(location, quantity, reserved), ...] of the lot's quants that hold anything in the
        company's own locations (internal and transit)."""
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT location.complete_name, quant.quantity, quant.reserved_quantity
                 FROM stock_quant quant JOIN stock_location location ON location.id = quant.location_id
                WHERE quant.lot_id = %s AND (quant.quantity != 0 OR quant.reserved_quantity != 0)
                  AND location.usage IN ('internal', 'transit')
             ORDER BY location.complete_name, quant.id""",
            [lot.id],
        )
        return self.env.cr.fetchall()

    def assertQuantsExact(self, products):
        """One quant per product, location, lot, package and owner; no negative quantity in an
        internal location; the reserved quantity of the quants of each such key equal to what the
        open move lines reserve there (see quant_checks)."""
        self.env.flush_all()
        for label, rows in quant_problems(self.env.cr, products.ids).items():
            self.assertEqual(rows, [], label)

    def qty(self, lot, location):
        """The quantity of the lot's one quant in the location (0 without one)."""
        quants = self.env["stock.quant"].search([("lot_id", "=", lot.id), ("location_id", "=", location.id)])
        self.assertLessEqual(len(quants), 1, f"one quant of {lot.name} in {location.display_name}")
        return quants.quantity


class BatchExpiryCase(QuantTableMixin, TransactionCase):
    def transfers(self, action):
        """The transfers a quarantine or release action opens."""
        self.assertEqual(action["res_model"], "stock.picking")
        return self.env["stock.picking"].search(action["domain"])

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
