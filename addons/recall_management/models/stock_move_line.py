# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models
from odoo.exceptions import UserError


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    # Odoo does not index the lot of move lines: the recall trace (and Odoo's own traceability
    # report) would read the whole table for each lot.
    lot_id = fields.Many2one(index="btree_not_null")

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered("lot_id")._check_recalled_lots()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if vals.get("lot_id") or "location_dest_id" in vals:
            self.filtered("lot_id")._check_recalled_lots()
        return result

    def _check_recalled_lots(self):
        """A lot under a recall in progress goes nowhere but into quarantine, to scrap or back to a
        supplier: no reservation or delivery may use it."""
        lines = self.filtered(
            lambda line: (
                line.lot_id
                and line.state != "done"
                and not line.location_dest_id.is_quarantine
                and line.location_dest_id.usage not in ("inventory", "supplier")
            )
        )
        if not lines or self.env.context.get("recall_release_event_id"):
            return
        blocking = self.env["recall.event"]._blocking_events_by_lot(lines.lot_id)
        for line in lines:
            event = blocking.get(line.lot_id)
            if event:
                raise UserError(
                    self.env._(
                        "Lot %(lot)s of %(product)s is recalled (%(recall)s: %(title)s): it cannot be"
                        " reserved, sold or delivered while the recall is in progress. Pick another lot.",
                        lot=line.lot_id.name,
                        product=line.product_id.display_name,
                        recall=event.name,
                        title=event.title,
                    )
                )
