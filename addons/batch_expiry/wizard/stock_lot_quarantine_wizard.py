# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class StockLotQuarantineWizard(models.TransientModel):
    """Quarantine or release one lot or many (from the lot form or the lot list), with a reason."""

    _name = "stock.lot.quarantine.wizard"
    _description = "Quarantine or Release Lots"

    mode = fields.Selection(
        [("quarantine", "Quarantine"), ("release", "Release")], required=True, default="quarantine"
    )
    lot_ids = fields.Many2many("stock.lot", string="Lots", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "quarantine":
            result = self.lot_ids.quarantine(self.reason)
        else:
            result = self.lot_ids.release_quarantine(self.reason)
        return result if isinstance(result, dict) else {"type": "ir.actions.act_window_close"}
