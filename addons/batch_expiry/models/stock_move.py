# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from collections import defaultdict

from odoo import models
from odoo.tools import float_compare

from .stock_quant import RELEASE_TARGET

# How far down a chain of moves (pick, pack, ship; pick components, produce) the reservation
# looks for what the stock is finally for.
CHAIN_DEPTH = 3


class StockMove(models.Model):
    _inherit = "stock.move"

    # --- Reservation: what the lot-release policy lets a move take -----------------------------
    def _release_target(self):
        """(operations, customer id) of this move for the lot-release policy: the operation it
        makes and those of the moves it feeds (a pick for a delivery, components for production),
        with the customer of the delivery at the end of the chain, if any."""
        self.ensure_one()
        Lot = self.env["stock.lot"]
        operations = []
        customer = False
        moves = self
        for _depth in range(CHAIN_DEPTH):
            for move in moves:
                operation = Lot._release_operation(move.location_id, move.location_dest_id)
                if operation not in operations:
                    operations.append(operation)
                if operation == "customer" and not customer:
                    customer = move._release_customer().id
            moves = moves.move_dest_ids.filtered(lambda move: move.state not in ("done", "cancel"))
            if not moves:
                break
        return tuple(operations), customer

    def _release_customer(self):
        """The customer this move delivers to."""
        self.ensure_one()
        return self.picking_id.partner_id or self.partner_id

    def _action_assign(self, force_qty=False):
        self._release_prefetch()
        return super()._action_assign(force_qty=force_qty)

    def _release_prefetch(self):
        """Read at once what the policy needs about every lot these moves may reserve (one search,
        then one query per module for all the lots): each move's reservation then finds it in the
        cache instead of asking for its own lots."""
        moves = self.filtered(
            lambda move: move.state not in ("draft", "done", "cancel") and move.product_id.tracking != "none"
        )
        if moves:
            moves._release_source_quants().lot_id._release_prefetch()

    def _release_source_quants(self, extra_domain=()):
        """The quants with stock of lots of these moves' products in their source locations."""
        # sudo: the stock these moves may take, whoever asks.
        return (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("product_id", "in", self.product_id.ids),
                    ("location_id", "child_of", self.location_id.ids),
                    ("lot_id", "!=", False),
                    ("quantity", ">", 0),
                    *extra_domain,
                ]
            )
        )

    def _update_reserved_quantity(
        self, need, location_id, lot_id=None, package_id=None, owner_id=None, strict=True
    ):
        # Always set from the move itself, whatever the caller's context says.
        self = self.with_context(**{RELEASE_TARGET: self._release_target()})
        return super()._update_reserved_quantity(
            need, location_id, lot_id=lot_id, package_id=package_id, owner_id=owner_id, strict=strict
        )

    def _get_available_quantity(
        self, location_id, lot_id=None, package_id=None, owner_id=None, strict=False, allow_negative=False
    ):
        self = self.with_context(**{RELEASE_TARGET: self._release_target()})
        return super()._get_available_quantity(
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
            allow_negative=allow_negative,
        )

    # --- What the policy keeps from these moves: forecasts and explanations --------------------
    def _release_held_stock(self):
        """{move: [(quant, free quantity, [Block, ...]), ...]} of the stock in each move's source
        location that the lot-release policy keeps from it: what it would reserve, were the lots
        not held back. For moves that still wait for stock. One search for all the moves."""
        moves = self.filtered(
            lambda move: (
                move.state in ("confirmed", "partially_available", "waiting")
                and move.product_id.is_storable
                and move.product_id.tracking != "none"
                and move.location_id.usage == "internal"
            )
        )
        result = defaultdict(list)
        if not moves:
            return result
        quants = moves._release_source_quants([("location_id.is_quarantine", "=", False)])
        quants = quants.filtered(
            lambda quant: (
                float_compare(
                    quant.quantity, quant.reserved_quantity, precision_rounding=quant.product_uom_id.rounding
                )
                > 0
            )
        )
        if not quants:
            return result
        by_target = defaultdict(lambda: self.env["stock.move"])
        for move in moves:
            by_target[move._release_target()] |= move
        for (operations, customer_id), target_moves in by_target.items():
            customer = self.env["res.partner"].sudo().browse(customer_id) if customer_id else None
            target_quants = quants.filtered(lambda quant, p=target_moves.product_id: quant.product_id in p)
            refused = target_quants.lot_id._release_refusals(operations, customer, reserve=True)
            if not refused:
                continue
            for move in target_moves:
                for quant in target_quants:
                    if (
                        quant.product_id == move.product_id
                        and quant.lot_id.id in refused
                        and quant.location_id.parent_path.startswith(move.location_id.parent_path)
                    ):
                        result[move].append(
                            (quant, quant.quantity - quant.reserved_quantity, refused[quant.lot_id.id])
                        )
        return result

    def _compute_forecast_information(self):
        # Stock the policy keeps from a move is not available to it: the delivery says so (Odoo's
        # forecast counts every quant of its location).
        res = super()._compute_forecast_information()
        held = self._release_held_stock()
        for move, rows in held.items():
            if move.forecast_availability is False:
                continue
            move.forecast_availability -= sum(quantity for _quant, quantity, _blocks in rows)
        return res
