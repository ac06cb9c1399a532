# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class StockLotExpiryWizard(models.TransientModel):
    """Change Expiry Date on a lot: a quality manager's decision, with its reason."""

    _name = "stock.lot.expiry.wizard"
    _description = "Change the Expiry Date of a Lot"

    lot_id = fields.Many2one("stock.lot", required=True, readonly=True)
    current_expiration_date = fields.Datetime(
        related="lot_id.expiration_date", string="Current Expiration Date"
    )
    expiration_date = fields.Datetime(string="New Expiration Date", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.lot_id.action_change_expiration_date(self.expiration_date, self.reason)
        return {"type": "ir.actions.act_window_close"}
