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
        # A line created on a done move moves stock at once: checked before Odoo moves it.
        self._check_release_policy(items=self._release_items_of_done_vals(vals_list))
        return super().create(vals_list)

    def write(self, vals):
        # Editing a done line moves stock at once: checked before Odoo moves it.
        if DONE_LINE_STOCK_FIELDS & set(vals):
            done = self.filtered(lambda line: line.state == "done")
            if done:
                done._check_release_policy(items=done._release_items_of_edit(vals))
        return super().write(vals)

    @api.model
    def _release_items_of_done_vals(self, vals_list):
        """The items (see _release_items) of new lines that are done from the start: lines of a
        done move, or of a done transfer without a move."""
        items = []
        for vals in vals_list:
            move = self._release_record("stock.move", vals.get("move_id"))
            picking = self._release_record("stock.picking", vals.get("picking_id"))
            if not (move.state == "done" or (not move and picking.state == "done")):
                continue
            line = self.new(vals)
            items.append(
                (
                    line,
                    line.lot_id,
                    self._release_record("stock.location", vals.get("location_id")) or move.location_id,
                    self._release_record("stock.location", vals.get("location_dest_id"))
                    or move.location_dest_id,
                )
            )
        return items

    @api.model
    def _release_record(self, model, value):
        """The record a many2one value of ``vals`` names: an id, False, or a record (the ORM
        takes all three)."""
        if isinstance(value, models.BaseModel):
            return value
        return self.env[model].browse(value or [])

    def _release_items_of_edit(self, vals):
        """The items of done lines about to be edited with ``vals``: the new lot and locations for
        what goes (a new lot, new locations, a larger quantity), the way back for a smaller one."""
        new = {
            name: self._release_record(model, vals[name])
            for name, model in (
                ("lot_id", "stock.lot"),
                ("location_id", "stock.location"),
                ("location_dest_id", "stock.location"),
            )
            if name in vals
        }
        items = []
        for line in self:
            lot = new.get("lot_id", line.lot_id)
            source = new.get("location_id", line.location_id)
            destination = new.get("location_dest_id", line.location_dest_id)
            quantity = vals.get("quantity", line.quantity)
            rounding = line.product_uom_id.rounding
            if lot != line.lot_id or source != line.location_id or destination != line.location_dest_id:
                items.append((line, lot, source, destination))
            elif float_compare(quantity, line.quantity, precision_rounding=rounding) > 0:
                items.append((line, lot, source, destination))
            elif float_compare(quantity, line.quantity, precision_rounding=rounding) < 0:
                items.append((line, lot, destination, source))
        return items

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

    def _release_items(self):
        """[(line, lot, source, destination), ...] of the lines with a quantity: what each moves,
        from where to where (lot: its lot, or the existing lot its lot name will be matched to, or
        an empty recordset)."""
        lots = self._release_lots()
        return [
            (line, lots.get(line, self.env["stock.lot"]), line.location_id, line.location_dest_id)
            for line in self.filtered(
                lambda line: (
                    float_compare(line.quantity, 0, precision_rounding=line.product_uom_id.rounding) > 0
                )
            )
        ]

    def _release_refusals(self, items):
        """[(line, message), ...] of what the policy refuses in ``items`` (see _release_items): each
        lot for the operation its move makes and the customer it delivers to, and products held
        back as a whole. Extended by the modules whose rules hold at the done step."""
        Lot = self.env["stock.lot"]
        groups = defaultdict(list)
        for line, lot, source, destination in items:
            operation = Lot._release_operation(source, destination)
            partner = line._release_partner() if operation == "customer" else self.env["res.partner"]
            groups[(operation, partner, destination)].append((line, lot))
        refusals = []
        for (operation, partner, destination), pairs in groups.items():
            customer = partner or None
            lots = Lot.union(*(lot for _line, lot in pairs if lot))
            refused = lots._release_refusals([operation], customer) if lots else {}
            products = self.env["product.product"].union(*(line.product_id for line, _lot in pairs))
            product_refused = Lot._release_product_refusals(products, [operation], customer)
            for line, lot in pairs:
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

    def _check_release_policy(self, items=None):
        """Refuse the done step of these lines (or of ``items``) when the policy holds their lot
        back, naming each lot, its status, why, and what to do."""
        items = self._release_items() if items is None else items
        # Serialised with the decisions on these lots, and with the other done steps of them: the
        # check and the quants it lets move are then those of the lots as they are now.
        self.env["stock.lot"].browse(
            {lot.id for _line, lot, _source, _destination in items if lot.id}
        )._release_lock(touch=True)
        refusals = self._release_refusals(items)
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
