# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class StockLotQuarantineEvent(models.Model):
    """History of a lot's quarantines and releases: who, when, why, and the transfers made."""

    _name = "stock.lot.quarantine.event"
    _description = "Lot Quarantine Event"
    _order = "date desc, id desc"
    _check_company_auto = True

    lot_id = fields.Many2one("stock.lot", required=True, index=True, ondelete="cascade", readonly=True)
    product_id = fields.Many2one(related="lot_id.product_id", store=True)
    company_id = fields.Many2one(related="lot_id.company_id", store=True, index=True)
    action = fields.Selection(
        [("quarantine", "Quarantine"), ("release", "Release")], required=True, readonly=True
    )
    reason = fields.Text(required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="By", required=True, readonly=True, default=lambda self: self.env.user
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    quantity = fields.Float(string="Quantity Moved", digits="Product Unit of Measure", readonly=True)
    picking_ids = fields.Many2many("stock.picking", string="Transfers", readonly=True)
