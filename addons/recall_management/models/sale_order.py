# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        self._check_recalled_products()
        return super()._action_confirm()

    def _check_recalled_products(self):
        """A product held back as a whole by the lot-release policy (a recall of every lot, in
        progress) cannot be sold to a customer. When only some lots are recalled, the delivery
        reserves other lots."""
        Lot = self.env["stock.lot"]
        for order in self:
            products = order.order_line.product_id
            if not products:
                continue
            refusals = Lot._release_product_refusals(products, ["customer"], order.partner_id)
            if refusals:
                raise UserError(
                    "\n".join(
                        Lot._release_product_refusal_lines(refusals, "customer", partner=order.partner_id)
                    )
                )
