# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models
from odoo.exceptions import UserError


class RecallDisposition(models.Model):
    _name = "recall.disposition"
    _inherit = ["recall.disposition", "gsp.signed.mixin"]

    # G2: the signature a release back to stock was decided with.
    release_signature_id = fields.Many2one("gsp.signature", readonly=True, copy=False)

    def _decision_fields(self):
        return super()._decision_fields() | {"release_signature_id"}

    def action_execute(self):
        # G2: releasing recalled stock back to stock is a signed decision.
        releases = self.filtered(lambda d: d.action == "release")
        signatures = self.env["gsp.signature"]
        if releases:
            signatures = releases._gsp_signatures("released", "action_execute")
        result = super().action_execute()
        if releases:
            releases._gsp_keep_signature("release_signature_id", signatures)
            releases.lot_id._gsp_keep_release_signatures(
                {
                    disposition.lot_id.id: disposition.release_signature_id
                    for disposition in releases
                    if disposition.release_signature_id
                }
            )
        return result

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
