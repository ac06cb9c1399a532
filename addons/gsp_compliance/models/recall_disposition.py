# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import models
from odoo.exceptions import UserError


class RecallDisposition(models.Model):
    _name = "recall.disposition"
    _inherit = ["recall.disposition", "gsp.signed.mixin"]

    def action_execute(self):
        # G2: releasing recalled stock back to stock is a signed decision.
        releases = self.filtered(lambda d: d.action == "release")
        if releases:
            releases._gsp_signatures("released", "action_execute")
        return super().action_execute()

    def _gsp_check_release(self):
        """The signed disposition is the release of recalled stock back to stock: refuse, saying
        what is missing, when these dispositions cannot be carried out as releases now."""
        others = self.filtered(lambda d: d.action != "release")
        if others:
            raise UserError(
                self.env._(
                    "Only releases back to stock are signed: carry out the other dispositions"
                    " (%(lots)s) with their button.",
                    lots=", ".join(others.lot_id.mapped("name")),
                )
            )
        for disposition in self:
            disposition._check_can_execute()
