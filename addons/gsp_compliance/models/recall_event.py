# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class RecallEvent(models.Model):
    _name = "recall.event"
    # G8: recall_management itself never deletes a recall that left draft (stricter than the
    # retention period).
    _inherit = ["recall.event", "gsp.signed.mixin"]

    active = fields.Boolean(default=True)

    def action_approve(self):
        # G2: approving a recall plan is a signed decision.
        self._gsp_signatures("approved", "action_approve")
        return super().action_approve()

    def action_close(self):
        self._gsp_signatures("closed", "action_close")
        return super().action_close()
