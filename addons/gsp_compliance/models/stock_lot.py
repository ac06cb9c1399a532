# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import models


class StockLot(models.Model):
    _name = "stock.lot"
    _inherit = ["stock.lot", "gsp.signed.mixin"]

    def release_quarantine(self, reason):
        # G2: a release asked for over RPC needs a signature (the Release button signs).
        self._gsp_signatures("released", "release_quarantine")
        return super().release_quarantine(reason)

    def action_gsp_release(self):
        """Release from quarantine, signed: the reason is the signature's reason."""
        signatures = self._gsp_signatures("released", "action_gsp_release")
        reason = signatures[:1].reason or self.env.context.get("gsp_release_reason")
        return self.release_quarantine(reason)
