# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RecallEventLine(models.Model):
    """What a recall covers: a lot, or every lot of a product (optionally only those received in
    a date range, or from one supplier)."""

    _name = "recall.event.line"
    _description = "Recall Scope Line"
    _check_company_auto = True

    event_id = fields.Many2one("recall.event", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="event_id.company_id", store=True, index=True)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain="[('tracking', '!=', 'none')]",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
        help="Leave empty to recall every lot of the product.",
    )
    date_from = fields.Date(
        string="Received From", help="Without a lot: only lots received from suppliers from this date."
    )
    date_to = fields.Date(
        string="Received To", help="Without a lot: only lots received from suppliers up to this date."
    )
    supplier_id = fields.Many2one(
        "res.partner",
        check_company=True,
        help="Without a lot: only lots received from this supplier.",
    )
    note = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        events = self.env["recall.event"].browse(
            {vals.get("event_id") for vals in vals_list if vals.get("event_id")}
        )
        events._check_scope_open()
        return super().create(vals_list)

    def write(self, vals):
        self.event_id._check_scope_open()
        if vals.get("event_id"):
            self.env["recall.event"].browse(vals["event_id"])._check_scope_open()
        return super().write(vals)

    def unlink(self):
        self.event_id._check_scope_open()
        return super().unlink()

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.lot_id and self.lot_id.product_id != self.product_id:
            self.lot_id = False

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id:
            self.product_id = self.lot_id.product_id

    @api.constrains("product_id", "lot_id", "date_from", "date_to")
    def _check_scope(self):
        for line in self:
            if line.product_id.tracking == "none":
                raise ValidationError(
                    self.env._(
                        "%(product)s is not tracked by lots or serial numbers, so its stock cannot be"
                        " traced. Turn on lot tracking for the product, or recall a tracked product.",
                        product=line.product_id.display_name,
                    )
                )
            if line.lot_id and line.lot_id.product_id != line.product_id:
                raise ValidationError(
                    self.env._(
                        "Lot %(lot)s is a lot of %(lot_product)s, not of %(product)s.",
                        lot=line.lot_id.name,
                        lot_product=line.lot_id.product_id.display_name,
                        product=line.product_id.display_name,
                    )
                )
            if line.date_from and line.date_to and line.date_to < line.date_from:
                raise ValidationError(
                    self.env._(
                        "%(product)s: the end of the receipt date range is before its start.",
                        product=line.product_id.display_name,
                    )
                )

    def _lots(self):
        """The lots these lines cover: named lots, and for lines without a lot the product's lots,
        limited to those received in the date range or from the supplier. One query per line
        without a lot, not per lot."""
        lots = self.lot_id
        for line in self.filtered(lambda scope_line: not scope_line.lot_id):
            if not (line.date_from or line.date_to or line.supplier_id):
                lots |= self.env["stock.lot"].search(
                    [
                        ("product_id", "=", line.product_id.id),
                        ("company_id", "in", (line.company_id.id, False)),
                    ]
                )
                continue
            domain = [
                ("product_id", "=", line.product_id.id),
                ("lot_id", "!=", False),
                ("state", "=", "done"),
                ("location_id.usage", "=", "supplier"),
            ]
            # The dates are the company's days, not UTC's.
            company = line.company_id or self.env.company
            if line.date_from:
                domain.append(("date", ">=", company._local_day_start(line.date_from)))
            if line.date_to:
                domain.append(("date", "<", company._local_day_start(line.date_to + timedelta(days=1))))
            if line.supplier_id:
                domain.append(
                    ("move_id.picking_id.partner_id", "child_of", line.supplier_id.commercial_partner_id.id)
                )
            lots |= self.env["stock.move.line"].search(domain).lot_id
        return lots
