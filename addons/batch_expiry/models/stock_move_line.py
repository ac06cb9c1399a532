# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

# The fields of a done move line whose change moves stock (Odoo updates the quants at once).
DONE_LINE_STOCK_FIELDS = {"quantity", "lot_id", "location_id", "location_dest_id", "product_uom_id"}


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    lot_expiry_state = fields.Selection(related="lot_id.expiry_state", string="Expiry State")
    lot_release_state = fields.Selection(related="lot_id.release_state", string="Release Status")
    lot_release_reasons = fields.Text(related="lot_id.release_reasons", string="Why Held")

    # --- The done step: the second point where the lot-release policy is enforced ---------------
    def _action_done(self):
        self._check_release_policy()
        return super()._action_done()

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # A line created done (on a done transfer) moves stock at once.
        lines.filtered(lambda line: line.state == "done")._check_release_policy()
        return lines

    def write(self, vals):
        done = (
            self.filtered(lambda line: line.state == "done") if DONE_LINE_STOCK_FIELDS & set(vals) else None
        )
        if not done:
            return super().write(vals)
        before = {line.id: (line.quantity_product_uom, line.lot_id) for line in done}
        result = super().write(vals)
        # Editing a done line moves stock at once: the new lot, locations and any increase go
        # where the line goes; a decrease comes back from its destination to its source.
        done._check_release_policy()
        back = self.env["stock.move.line"]
        for line in done:
            old_quantity, old_lot = before[line.id]
            if old_lot == line.lot_id and (
                float_compare(
                    line.quantity_product_uom,
                    old_quantity,
                    precision_rounding=line.product_id.uom_id.rounding,
                )
                < 0
            ):
                back |= line
        back._check_release_policy(reverse=True)
        return result

    def _release_partner(self):
        """The customer a line delivers to."""
        self.ensure_one()
        return self.move_id._release_customer() if self.move_id else self.picking_id.partner_id

    def _release_lots(self):
        """{line: lot} of the lines with a quantity: their lot, or the existing lot their lot
        name will be matched to when they are done (as Odoo's own done step matches them)."""
        lines = self.filtered(
            lambda line: float_compare(line.quantity, 0, precision_rounding=line.product_uom_id.rounding) > 0
        )
        lots = {line: line.lot_id for line in lines if line.lot_id}
        named = lines.filtered(lambda line: not line.lot_id and line.lot_name)
        if named:
            existing = (
                self.env["stock.lot"]
                .sudo()  # sudo: any lot of that name is the one the line will use
                .search(
                    [
                        ("product_id", "in", named.product_id.ids),
                        ("name", "in", named.mapped("lot_name")),
                        ("company_id", "in", [*named.company_id.ids, False]),
                    ]
                )
            )
            by_key = {(lot.product_id, lot.name, lot.company_id): lot for lot in existing}
            for line in named:
                lot = by_key.get((line.product_id, line.lot_name, line.company_id)) or by_key.get(
                    (line.product_id, line.lot_name, self.env["res.company"])
                )
                if lot:
                    lots[line] = lot
        return lots

    def _release_refusals(self, reverse=False):
        """[(line, message), ...] of what the policy refuses these lines: each line's lot, for the
        operation the line makes (from its source to its destination, or back with ``reverse``) and
        the customer it delivers to. Extended by the modules whose rules hold at the done step."""
        Lot = self.env["stock.lot"]
        lots = self._release_lots()
        groups = defaultdict(lambda: self.env["stock.move.line"])
        for line in self.filtered(
            lambda line: float_compare(line.quantity, 0, precision_rounding=line.product_uom_id.rounding) > 0
        ):
            source, destination = line.location_id, line.location_dest_id
            if reverse:
                source, destination = destination, source
            operation = Lot._release_operation(source, destination)
            partner = line._release_partner() if operation == "customer" else self.env["res.partner"]
            groups[(operation, partner, destination)] |= line
        refusals = []
        for (operation, partner, destination), lines in groups.items():
            customer = partner or None
            group_lots = Lot.union(*(lots[line] for line in lines if line in lots))
            refused = group_lots._release_refusals([operation], customer)
            product_refused = Lot._release_product_refusals(lines.product_id, [operation], customer)
            for line in lines:
                lot = lots.get(line)
                if lot and lot.id in refused:
                    for message in lot._release_refusal_lines(
                        {lot.id: refused[lot.id]}, operation, destination, customer
                    ):
                        refusals.append((line, message))
                if line.product_id.id in product_refused:
                    for message in Lot._release_product_refusal_lines(
                        {line.product_id.id: product_refused[line.product_id.id]},
                        operation,
                        destination,
                        customer,
                    ):
                        refusals.append((line, message))
        return refusals

    def _check_release_policy(self, reverse=False):
        """Refuse the done step of lines whose lot the policy holds back, naming each lot, its
        status, why, and what to do."""
        refusals = self._release_refusals(reverse=reverse)
        if not refusals:
            return
        references = ", ".join(
            dict.fromkeys(
                line.picking_id.name or line.move_id.reference or line.reference or ""
                for line, _m in refusals
            )
        )
        messages = list(dict.fromkeys(message for _line, message in refusals))
        raise UserError(
            "\n".join(
                [
                    self.env._(
                        "%(operations)s cannot be done:", operations=references or self.env._("This move")
                    ),
                    *(f"- {message}" for message in messages[:20]),
                    *(
                        [self.env._("... and %(count)s more.", count=len(messages) - 20)]
                        if len(messages) > 20
                        else []
                    ),
                ]
            )
        )
