# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import models
from odoo.exceptions import UserError


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        self._check_quarantined_lots()
        return super()._action_done(cancel_backorder=cancel_backorder)

    def _check_quarantined_lots(self):
        """A quarantined lot may only go to a quarantine location, to scrap (inventory loss) or
        back to a supplier, until a quality manager releases it."""
        if self.env.context.get("batch_expiry_quarantine_transfer"):
            return
        for line in self.move_line_ids:
            lot = line.lot_id
            if not lot.is_quarantined or not line.quantity:
                continue
            destination = line.location_dest_id
            if destination.is_quarantine or destination.usage in ("inventory", "supplier"):
                continue
            raise UserError(
                self.env._(
                    "Lot %(lot)s of %(product)s is in quarantine (%(reason)s): it cannot be moved to"
                    " %(destination)s. Keep it in quarantine, scrap it or return it to the supplier;"
                    " only a quality manager can release it.",
                    lot=lot.name,
                    product=line.product_id.display_name,
                    reason=lot.quarantine_reason or self.env._("no reason given"),
                    destination=destination.display_name,
                )
            )
