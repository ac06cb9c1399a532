# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from markupsafe import Markup

from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    release_held_note = fields.Text(
        string="Stock Held Back",
        compute="_compute_release_held_note",
        help="Stock of the source location that was not reserved because its lots are held back"
        " (quarantine, expiry, recall, acceptance, the customer's shelf-life contract).",
    )
    fefo_deviation_ids = fields.One2many(
        "stock.fefo.deviation", "picking_id", string="FEFO Deviations", readonly=True
    )

    def _compute_release_held_note(self):
        held = self.move_ids._release_held_stock()
        for picking in self:
            picking.release_held_note = picking._release_held_lines(held)

    def _release_held_lines(self, held):
        """What was not reserved on this transfer and why, one line per lot and location."""
        rules = self.env["stock.lot.release.rule"]._by_code(
            {block.code for rows in held.values() for _q, _qty, blocks in rows for block in blocks}
        )
        lines = []
        for move in self.move_ids:
            for quant, quantity, blocks in held.get(move, []):
                lines.append(
                    self.env._(
                        "Lot %(lot)s of %(product)s, %(quantity)s %(uom)s in %(location)s: %(why)s",
                        lot=quant.lot_id.name,
                        product=quant.product_id.display_name,
                        quantity=quantity,
                        uom=quant.product_uom_id.name,
                        location=quant.location_id.display_name,
                        why="; ".join(
                            f"{rules[block.code].name if block.code in rules else block.code}"
                            f" ({block.reason})"
                            for block in blocks
                        ),
                    )
                )
        return "\n".join(dict.fromkeys(lines))

    def _get_without_quantities_error_message(self):
        message = super()._get_without_quantities_error_message()
        held = self.filtered("release_held_note")
        if not held:
            return message
        return "\n\n".join(
            [
                message,
                self.env._("Stock is there, but held back, so nothing was reserved:"),
                *(f"{picking.name}:\n{picking.release_held_note}" for picking in held),
            ]
        )

    def _release_lines_to_do(self):
        """The move lines validating these transfers would move: those of picked moves, or all of
        them when nothing is picked (Odoo then validates everything)."""
        lines = self.env["stock.move.line"]
        for picking in self:
            moves = picking.move_ids.filtered(lambda move: move.state not in ("done", "cancel"))
            picked = moves.filtered("picked")
            lines |= (picked or moves).move_line_ids
        return lines

    # --- FEFO: a later lot than the first expiring one needs a recorded reason ---------------------
    def _pre_action_done_hook(self):
        # Refused lines are refused before any confirmation is asked (expired lots, FEFO...): the
        # done step would refuse them anyway.
        self._release_lines_to_do()._check_release_policy()
        res = super()._pre_action_done_hook()
        if res is True:
            deviations = self._fefo_unexplained_deviations()
            if deviations:
                return self._action_fefo_deviation_wizard(deviations)
        return res

    def _fefo_unexplained_deviations(self):
        """The FEFO deviations of these transfers that no recorded reason covers yet."""
        recorded = {(d.move_line_id.id, d.lot_id.id, d.earlier_lot_id.id) for d in self.fefo_deviation_ids}
        return [
            (line, lot)
            for line, lot in self._fefo_deviations()
            if (line.id, line.lot_id.id, lot.id) not in recorded
        ]

    def _fefo_deviations(self):
        """Delivery lines that use a lot while an earlier-expiring lot of the same product, one the
        lot-release policy would let the delivery reserve, is free in the same source location:
        [(move line, earlier lot), ...]."""
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
                ("expiration_date", "<", max(lines.lot_id.mapped("expiration_date"))),
            ]
        )
        # Free quants by (product, location), earliest expiry first: one pass, not one per line.
        free = {}
        for quant in quants.sorted("expiration_date"):
            if quant.quantity > quant.reserved_quantity:
                free.setdefault((quant.product_id, quant.location_id), []).append(quant)
        deviations = []
        refused_by_target = {}
        for line in lines:
            candidates = free.get((line.product_id, line.location_id), [])
            if not candidates:
                continue
            target = line.move_id._release_target()
            if target not in refused_by_target:
                operations, customer_id = target
                customer = self.env["res.partner"].browse(customer_id) if customer_id else None
                refused_by_target[target] = quants.lot_id._release_refusals(
                    operations, customer, reserve=True
                )
            refused = refused_by_target[target]
            earlier = next(
                (
                    quant
                    for quant in candidates
                    if quant.lot_id.id not in refused and quant.expiration_date < line.lot_id.expiration_date
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

    def _record_fefo_deviations(self, reason, deviations):
        """Record the reason for ``deviations`` ([(move line, earlier lot), ...]) on these
        transfers and post it in their chatter."""
        # sudo: deviations are written by this step only (nobody may create them).
        self.env["stock.fefo.deviation"].sudo().create(
            [
                {
                    "picking_id": line.picking_id.id,
                    "move_line_id": line.id,
                    "lot_id": line.lot_id.id,
                    "earlier_lot_id": lot.id,
                    "quantity": line.quantity,
                    "reason": reason,
                    "user_id": self.env.uid,
                }
                for line, lot in deviations
            ]
        )
        for picking in self:
            items = Markup("").join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(product)s: lot %(lot)s (expires %(expiry)s) used while lot %(earlier)s (expires"
                    " %(earlier_expiry)s) was available in %(location)s",
                    product=line.product_id.display_name,
                    lot=line.lot_id.name,
                    expiry=fields.Date.context_today(self, line.lot_id.expiration_date),
                    earlier=lot.name,
                    earlier_expiry=fields.Date.context_today(self, lot.expiration_date),
                    location=line.location_id.display_name,
                )
                for line, lot in deviations
                if line.picking_id == picking
            )
            if not items:
                continue
            picking.message_post(
                body=Markup("<p>%s</p><ul>%s</ul><p>%s</p>")
                % (
                    self.env._("First expiring, first out was not followed:"),
                    items,
                    self.env._("Reason: %(reason)s", reason=reason),
                ),
                subtype_xmlid="mail.mt_note",
            )
