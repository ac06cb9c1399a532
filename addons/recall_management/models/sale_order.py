# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        self._check_recalled_products()
        return super()._action_confirm()

    def _check_recalled_products(self):
        """A product recalled as a whole (every lot) cannot be sold while the recall is in progress.
        When only some lots are recalled, the delivery reserves other lots (they are quarantined)."""
        products = self.order_line.product_id
        if not products:
            return
        lines = (
            self.env["recall.event.line"]
            .sudo()
            .search(  # sudo: the block applies to salespeople too
                [
                    ("product_id", "in", products.ids),
                    ("lot_id", "=", False),
                    ("date_from", "=", False),
                    ("date_to", "=", False),
                    ("supplier_id", "=", False),
                    ("event_id.state", "=", "in_progress"),
                    ("event_id.is_mock", "=", False),
                ]
            )
        )
        if lines:
            line = lines[0]
            raise UserError(
                self.env._(
                    "%(product)s is recalled (%(recall)s: %(title)s): it cannot be sold while the recall is"
                    " in progress.",
                    product=line.product_id.display_name,
                    recall=line.event_id.name,
                    title=line.event_id.title,
                )
            )
