# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import models
from odoo.exceptions import UserError


class StockLotQuarantineWizard(models.TransientModel):
    _inherit = "stock.lot.quarantine.wizard"

    def action_confirm(self):
        # G2: a release is a signed decision (see gsp_decisions): the dialog without a password does
        # not release; the signed Release button on the lot does.
        if self.filtered(lambda w: w.mode == "release"):
            raise UserError(
                self.env._(
                    "Releasing a lot from quarantine requires an electronic signature: use the Release"
                    " button on the lot, which asks for your password and reason."
                )
            )
        return super().action_confirm()
