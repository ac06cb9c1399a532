# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class RecallNotice(models.Model):
    _name = "recall.notice"
    _inherit = ["recall.notice", "gsp.retention.mixin"]

    active = fields.Boolean(default=True)

    def _gsp_retained(self):
        return self.filtered(lambda notice: notice.state != "draft")
