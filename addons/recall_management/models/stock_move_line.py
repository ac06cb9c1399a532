# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    # Odoo does not index the lot of move lines: the recall trace (and Odoo's own traceability
    # report) would read the whole table for each lot.
    lot_id = fields.Many2one(index="btree_not_null")
