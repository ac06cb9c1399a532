# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import models


class RecallDisposition(models.Model):
    _name = "recall.disposition"
    _inherit = ["recall.disposition", "gsp.signed.mixin"]

    def action_execute(self):
        # G2: releasing recalled stock back to stock is a signed decision.
        releases = self.filtered(lambda d: d.action == "release")
        if releases:
            releases._gsp_signatures("released", "action_execute")
        return super().action_execute()
