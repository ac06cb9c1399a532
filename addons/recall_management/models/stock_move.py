# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    recall_notice_line_id = fields.Many2one(
        "recall.notice.line", index="btree_not_null", copy=False, readonly=True
    )
