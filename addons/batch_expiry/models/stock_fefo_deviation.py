# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class StockFefoDeviation(models.Model):
    """A delivery line that used a later-expiring lot while an earlier one was free, and the reason
    the user gave: the record that lets the delivery be validated out of FEFO order. Written by the
    FEFO deviation wizard only; nobody creates, changes or deletes them."""

    _name = "stock.fefo.deviation"
    _description = "FEFO Deviation"
    _order = "date desc, id desc"
    _check_company_auto = True

    picking_id = fields.Many2one("stock.picking", string="Transfer", required=True, index=True, readonly=True)
    company_id = fields.Many2one(related="picking_id.company_id", store=True, index=True)
    move_line_id = fields.Many2one("stock.move.line", readonly=True, index=True, ondelete="set null")
    product_id = fields.Many2one(related="lot_id.product_id", store=True)
    lot_id = fields.Many2one("stock.lot", string="Lot Used", required=True, readonly=True)
    earlier_lot_id = fields.Many2one(
        "stock.lot", string="Earlier Lot Available", required=True, readonly=True
    )
    quantity = fields.Float(digits="Product Unit of Measure", readonly=True)
    reason = fields.Text(required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="By", required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
