# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class CapaRecord(models.Model):
    _name = "capa.record"
    # G8: capa itself never deletes a CAPA that left draft (stricter than the retention period).
    _inherit = ["capa.record", "gsp.signed.mixin"]

    active = fields.Boolean(default=True)
    # G2: the signature the CAPA was closed with, kept on the CAPA until it is reopened.
    close_signature_id = fields.Many2one(
        "gsp.signature", string="Closing Signature", readonly=True, copy=False
    )
    close_signature_reason = fields.Text(related="close_signature_id.reason", string="Closing Reason")

    def _decision_fields(self):
        return super()._decision_fields() | {"close_signature_id"}

    def action_close(self):
        # G2: closing a CAPA is a signed decision.
        signatures = self._gsp_signatures("closed", "action_close")
        result = super().action_close()
        self._gsp_keep_signature("close_signature_id", signatures)
        return result

    def action_reopen(self):
        # A reopened CAPA is no longer closed: its closing signature stays in its signatures.
        result = super().action_reopen()
        self._gsp_keep_signature("close_signature_id", self.env["gsp.signature"])
        return result
