# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    recall_event_id = fields.Many2one(
        "recall.event", string="Recall", index="btree_not_null", copy=False, readonly=True
    )
    recall_notice_id = fields.Many2one("recall.notice", index="btree_not_null", copy=False, readonly=True)
