# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        """G3/G4: regulated products are only sold to a qualified customer."""
        for order in self:
            order.partner_id._gsp_check_qualified(
                order.order_line.product_id,
                fields.Date.context_today(order),
                "sale",
                order.company_id,
            )
        return super()._action_confirm()
