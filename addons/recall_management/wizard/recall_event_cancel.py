# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class RecallEventCancel(models.TransientModel):
    """Cancel a recall, with the reason asked for at that moment (kept on the recall's Closure
    tab): the reason is a field of a cancelled recall only."""

    _name = "recall.event.cancel"
    _description = "Cancel a Recall"

    event_id = fields.Many2one("recall.event", string="Recall", required=True, ondelete="cascade")
    reason = fields.Text(required=True, help="Why the recall is cancelled: kept on the recall.")

    def action_confirm(self):
        self.ensure_one()
        # The user's own rights: only a quality manager may write the reason and cancel.
        self.event_id._check_quality_manager(self.env._("cancel"))
        self.event_id.write({"cancel_reason": self.reason})
        return self.event_id.action_cancel()
