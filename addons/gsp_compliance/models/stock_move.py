# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from collections import defaultdict

from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        self._gsp_check_partner_qualified()
        return super()._action_done(cancel_backorder=cancel_backorder)

    def _gsp_check_partner_qualified(self):
        """G3/G4: regulated products are only delivered to a qualified customer and received from a
        qualified supplier. Returns (to a supplier, from a customer) are never blocked: recalled or
        refused goods must be able to go back."""
        to_check = defaultdict(lambda: self.env["product.product"])
        for move in self:
            if not move.product_id.gsp_regulated or move.state in ("done", "cancel") or not move.quantity:
                continue
            if move.location_dest_id.usage == "customer" and move.location_id.usage != "customer":
                operation = "delivery"
            elif move.location_id.usage == "supplier" and move.location_dest_id.usage != "supplier":
                operation = "receipt"
            else:
                continue
            partner = (move.picking_id.partner_id or move.partner_id).commercial_partner_id
            to_check[(partner, operation, move.company_id)] |= move.product_id
        today = fields.Date.context_today(self)
        for (partner, operation, company), products in to_check.items():
            partner._gsp_check_qualified(products, today, operation, company)
