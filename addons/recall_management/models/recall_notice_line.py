# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class RecallNoticeLine(models.Model):
    """One lot on a notice: what the customer received (net of its returns), what it reports
    on hand and will send back, and what has come back."""

    _name = "recall.notice.line"
    _description = "Recall Notice Line"
    _order = "notice_id, product_id, lot_id"

    notice_id = fields.Many2one("recall.notice", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="notice_id.company_id", store=True)
    lot_id = fields.Many2one("stock.lot", required=True)
    product_id = fields.Many2one("product.product", required=True)
    uom_id = fields.Many2one("uom.uom", string="Unit", related="product_id.uom_id")
    expiration_date = fields.Datetime(related="lot_id.expiration_date")
    qty_delivered = fields.Float(
        string="Delivered",
        digits="Product Unit of Measure",
        help="Delivered to the customer, net of returns.",
    )
    qty_reported_on_hand = fields.Float(string="Reported On Hand", digits="Product Unit of Measure")
    qty_to_return = fields.Float(string="To Return", digits="Product Unit of Measure")
    return_move_ids = fields.One2many("stock.move", "recall_notice_line_id", string="Return Moves")
    qty_returned = fields.Float(
        string="Returned", compute="_compute_qty_returned", store=True, digits="Product Unit of Measure"
    )

    @api.depends("return_move_ids.state", "return_move_ids.quantity")
    def _compute_qty_returned(self):
        for line in self:
            line.qty_returned = sum(
                move.product_uom._compute_quantity(move.quantity, line.product_id.uom_id)
                for move in line.return_move_ids
                if move.state == "done"
            )

    def _check_answer(self, on_hand, to_return):
        self.ensure_one()
        for quantity in (on_hand, to_return):
            if quantity < 0:
                raise UserError(
                    self.env._("Quantities cannot be negative (lot %(lot)s).", lot=self.lot_id.name)
                )
            if float_compare(quantity, self.qty_delivered, precision_rounding=self.uom_id.rounding) > 0:
                raise UserError(
                    self.env._(
                        "Lot %(lot)s: you received %(delivered)s %(uom)s; the quantity on hand or to return"
                        " cannot be more than that.",
                        lot=self.lot_id.name,
                        delivered=self.qty_delivered,
                        uom=self.uom_id.name,
                    )
                )
