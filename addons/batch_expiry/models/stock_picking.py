# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from markupsafe import Markup

from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _pre_action_done_hook(self):
        res = super()._pre_action_done_hook()
        # 'batch_expiry_fefo_reason' is set once the user gave the reason in the wizard.
        if res is True and not self.env.context.get("batch_expiry_fefo_reason"):
            deviations = self._fefo_deviations()
            if deviations:
                return self._action_fefo_deviation_wizard(deviations)
        return res

    def _fefo_deviations(self):
        """Delivery lines that use a lot while an earlier-expiring usable lot of the same product is
        free in the same source location: [(move line, earlier lot), ...]."""
        lines = self.move_line_ids.filtered(
            lambda line: (
                line.picking_code == "outgoing"
                and line.quantity
                and line.lot_id.expiration_date
                and line.product_id.use_expiration_date
            )
        )
        if not lines:
            return []
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "in", lines.product_id.ids),
                ("location_id", "in", lines.location_id.ids),
                ("lot_id", "not in", lines.lot_id.ids),
                ("lot_id.is_quarantined", "=", False),
                ("expiration_date", ">", fields.Datetime.now()),
                ("expiration_date", "<", max(lines.lot_id.mapped("expiration_date"))),
            ]
        )
        # Free quants by (product, location), earliest expiry first: one pass, not one per line.
        free = {}
        for quant in quants.sorted("expiration_date"):
            if quant.quantity > quant.reserved_quantity:
                free.setdefault((quant.product_id, quant.location_id), []).append(quant)
        deviations = []
        for line in lines:
            minimum = line.move_id._min_expiration_for_customer() or fields.Datetime.now()
            earlier = next(
                (
                    quant
                    for quant in free.get((line.product_id, line.location_id), [])
                    if minimum <= quant.expiration_date < line.lot_id.expiration_date
                ),
                None,
            )
            if earlier:
                deviations.append((line, earlier.lot_id))
        return deviations

    def _action_fefo_deviation_wizard(self, deviations):
        wizard = self.env["stock.fefo.deviation.wizard"].create(
            {
                "picking_ids": [fields.Command.set(self.ids)],
                "line_ids": [
                    fields.Command.create({"move_line_id": line.id, "earlier_lot_id": lot.id})
                    for line, lot in deviations
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Not First Expiring, First Out"),
            "res_model": "stock.fefo.deviation.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
            "context": dict(self.env.context),
        }

    def _log_fefo_deviation(self, reason, wizard_lines):
        for picking in self:
            items = Markup("").join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(product)s: lot %(lot)s (expires %(expiry)s) used while lot %(earlier)s (expires"
                    " %(earlier_expiry)s) was available in %(location)s",
                    product=line.move_line_id.product_id.display_name,
                    lot=line.move_line_id.lot_id.name,
                    expiry=fields.Date.context_today(self, line.move_line_id.lot_id.expiration_date),
                    earlier=line.earlier_lot_id.name,
                    earlier_expiry=fields.Date.context_today(self, line.earlier_lot_id.expiration_date),
                    location=line.move_line_id.location_id.display_name,
                )
                for line in wizard_lines.filtered(lambda wl, p=picking: wl.move_line_id.picking_id == p)
            )
            picking.message_post(
                body=Markup("<p>%s</p><ul>%s</ul><p>%s</p>")
                % (
                    self.env._("First expiring, first out was not followed:"),
                    items,
                    self.env._("Reason: %(reason)s", reason=reason),
                ),
                subtype_xmlid="mail.mt_note",
            )
