# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model
    def _gsp_plain_named_sequences(self):
        """The recall and notice sequences, real and drill."""
        return {
            **super()._gsp_plain_named_sequences(),
            "recall_management.seq_recall_event": lambda env: env._("Recall"),
            "recall_management.seq_recall_notice": lambda env: env._("Recall Notice"),
            "recall_management.seq_recall_event_mock": lambda env: env._("Recall Drill"),
            "recall_management.seq_recall_notice_mock": lambda env: env._("Recall Drill Notice"),
        }
