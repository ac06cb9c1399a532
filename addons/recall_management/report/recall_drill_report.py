# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, models
from odoo.exceptions import UserError


class RecallDrillReport(models.AbstractModel):
    """The drill report of mock recalls; printing it on a real recall is refused."""

    _name = "report.recall_management.report_recall_drill"
    _description = "Mock Recall Drill Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        events = self.env["recall.event"].browse(docids)
        real = events.filtered(lambda event: not event.is_mock)
        if real:
            raise UserError(
                self.env._(
                    "The drill report is only for mock recalls, and %(recalls)s is a real recall. Print its"
                    " progress or summary report instead.",
                    recalls=", ".join(real.mapped("name")),
                )
            )
        return {
            "doc_ids": events.ids,
            "doc_model": "recall.event",
            "docs": events,
        }
