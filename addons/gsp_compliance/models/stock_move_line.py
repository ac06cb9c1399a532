# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _release_refusals(self, items):
        """G3/G4 at the done step: regulated products are only delivered to a qualified customer
        and received from a qualified supplier. Returns (to a supplier, from a customer) are never
        refused: recalled or refused goods must be able to go back."""
        refusals = super()._release_refusals(items)
        refusals += self._gsp_review_refusals(items)
        to_check = defaultdict(lambda: self.env["stock.move.line"])
        for line, _lot, source, destination in items:
            if not line.product_id.gsp_regulated:
                continue
            if destination.usage == "customer" and source.usage != "customer":
                operation = "delivery"
            elif source.usage == "supplier" and destination.usage != "supplier":
                operation = "receipt"
            else:
                continue
            move = line.move_id
            partner = (
                move.picking_id.partner_id or move.partner_id or line.picking_id.partner_id
            ).commercial_partner_id
            to_check[(partner, operation, line.company_id)] |= line
        today = fields.Date.context_today(self)
        for (partner, operation, company), lines in to_check.items():
            try:
                partner._gsp_check_qualified(lines.product_id, today, operation, company)
            except UserError as error:
                refusals.append((lines[0], error.args[0]))
        return refusals

    def _gsp_review_refusals(self, items):
        """G4 at the done step: regulated stock goes to a customer only on a transfer whose GSP
        outbound review covers it (whatever the operation type, route or caller), never on a move
        without a transfer."""
        refusals = []
        by_picking = defaultdict(list)
        for line, _lot, source, destination in items:
            if not (
                line.product_id.gsp_regulated
                and destination.usage == "customer"
                and source.usage != "customer"
            ):
                continue
            picking = line.picking_id or line.move_id.picking_id
            if not picking:
                refusals.append(
                    (
                        line,
                        self.env._(
                            "%(product)s is regulated: it is delivered to a customer only on a transfer"
                            " reviewed by a GSP reviewer, not by a move on its own.",
                            product=line.product_id.display_name,
                        ),
                    )
                )
                continue
            by_picking[picking].append(line)
        for picking, lines in by_picking.items():
            # The review binds every line of the transfer that ships (regulated or not).
            done = self.browse(
                [line.id for line, *_rest in items if (line.picking_id or line.move_id.picking_id) == picking]
            )
            problem = picking._gsp_review_problem(done)
            if problem:
                refusals.append((lines[0], problem))
        return refusals
