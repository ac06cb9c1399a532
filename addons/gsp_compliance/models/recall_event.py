# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class RecallEvent(models.Model):
    _name = "recall.event"
    # G8: recall_management itself never deletes a recall that left draft (stricter than the
    # retention period).
    _inherit = ["recall.event", "gsp.signed.mixin"]

    active = fields.Boolean(default=True)
    # G2: the signatures the recall was approved and closed with, kept on the recall.
    approval_signature_id = fields.Many2one("gsp.signature", readonly=True, copy=False)
    approval_signature_reason = fields.Text(related="approval_signature_id.reason", string="Approval Reason")
    close_signature_id = fields.Many2one(
        "gsp.signature", string="Closing Signature", readonly=True, copy=False
    )
    close_signature_reason = fields.Text(related="close_signature_id.reason", string="Closing Reason")

    def _decision_fields(self):
        return super()._decision_fields() | {"approval_signature_id", "close_signature_id"}

    def action_approve(self):
        # G2: approving a recall plan is a signed decision.
        signatures = self._gsp_signatures("approved", "action_approve")
        result = super().action_approve()
        self._gsp_keep_signature("approval_signature_id", signatures)
        return result

    def action_close(self):
        signatures = self._gsp_signatures("closed", "action_close")
        result = super().action_close()
        self._gsp_keep_signature("close_signature_id", signatures)
        return result
