# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import models
from odoo.exceptions import UserError


class StockLotQuarantineWizard(models.TransientModel):
    _inherit = "stock.lot.quarantine.wizard"

    def action_confirm(self):
        # G2: the release dialog does not sign; releases go through the signed Release button.
        if self.filtered(lambda w: w.mode == "release") and self._gsp_called_over_rpc("action_confirm"):
            raise UserError(
                self.env._(
                    "Releasing a lot from quarantine requires an electronic signature: use the Release"
                    " button on the lot, which asks for your password and reason."
                )
            )
        return super().action_confirm()
