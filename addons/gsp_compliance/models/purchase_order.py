# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    gsp_confirm_user_id = fields.Many2one(
        "res.users",
        string="Confirmed By",
        readonly=True,
        copy=False,
        help="The user who confirmed the purchase order (GSP: the acceptor of its receipt must be"
        " someone else).",
    )

    def button_confirm(self):
        """G3/G4: regulated products are only bought from a qualified supplier."""
        to_confirm = self.filtered(lambda order: order.state in ("draft", "sent"))
        for order in to_confirm:
            order.partner_id._gsp_check_qualified(
                order.order_line.product_id,
                fields.Date.context_today(order),
                "purchase",
                order.company_id,
            )
        result = super().button_confirm()
        to_confirm.filtered(lambda order: order.state in ("purchase", "to approve", "done")).write(
            {"gsp_confirm_user_id": self.env.user.id}
        )
        return result
