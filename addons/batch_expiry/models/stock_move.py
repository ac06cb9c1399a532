# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError


class StockMove(models.Model):
    _inherit = "stock.move"

    # --- Reservation: what a move to a customer may take ---------------------------------------
    def _customer_and_min_shelf_life(self):
        """(customer, days of shelf life its contract requires) of the delivery this move makes or
        feeds (two- and three-step deliveries), or (None, 0) when it goes to no customer."""
        self.ensure_one()
        for move in self | self.move_dest_ids | self.move_dest_ids.move_dest_ids:
            if move.location_dest_id.usage == "customer":
                customer = move.picking_id.partner_id or move.partner_id
                return customer, max(
                    customer.min_shelf_life_days, customer.commercial_partner_id.min_shelf_life_days
                )
        return None, 0

    def _min_expiration_for_customer(self):
        """Earliest expiration date a lot may have to be reserved for this move, or None."""
        customer, required_days = self._customer_and_min_shelf_life()
        if customer is None or not self.product_id.use_expiration_date:
            return None
        return fields.Datetime.now() + timedelta(days=required_days)

    def _update_reserved_quantity(
        self, need, location_id, lot_id=None, package_id=None, owner_id=None, strict=True
    ):
        minimum = self._min_expiration_for_customer()
        if minimum:
            self = self.with_context(batch_expiry_min_expiration=minimum)
        return super()._update_reserved_quantity(
            need, location_id, lot_id=lot_id, package_id=package_id, owner_id=owner_id, strict=strict
        )

    def _get_available_quantity(
        self, location_id, lot_id=None, package_id=None, owner_id=None, strict=False, allow_negative=False
    ):
        minimum = self._min_expiration_for_customer()
        if minimum:
            self = self.with_context(batch_expiry_min_expiration=minimum)
        return super()._get_available_quantity(
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
            allow_negative=allow_negative,
        )

    # --- Validation: what may not leave --------------------------------------------------------
    def _action_done(self, cancel_backorder=False):
        self._check_quarantined_lots()
        self._check_customer_expiry()
        return super()._action_done(cancel_backorder=cancel_backorder)

    def _check_customer_expiry(self):
        """Nobody delivers an expired lot to a customer, nor a lot with less shelf life left than
        the customer's contract requires."""
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        for line in self.move_line_ids:
            lot = line.lot_id
            if not lot.expiration_date or not line.quantity or line.location_dest_id.usage != "customer":
                continue
            customer, required = line.move_id._customer_and_min_shelf_life()
            if lot.expiration_date <= now:
                raise UserError(
                    self.env._(
                        "Lot %(lot)s of %(product)s expired on %(date)s: it cannot be delivered to"
                        " %(customer)s. Take it off the delivery, pick a lot that has not expired, and"
                        " quarantine the expired one.",
                        lot=lot.name,
                        product=line.product_id.display_name,
                        date=fields.Date.context_today(self, lot.expiration_date),
                        customer=customer.display_name or line.location_dest_id.display_name,
                    )
                )
            remaining = (fields.Date.context_today(self, lot.expiration_date) - today).days
            if required and remaining < required:
                raise UserError(
                    self.env._(
                        "Lot %(lot)s of %(product)s has %(remaining)s days of shelf life left; %(customer)s"
                        " requires at least %(required)s days. Pick a lot with a later expiry date.",
                        lot=lot.name,
                        product=line.product_id.display_name,
                        remaining=remaining,
                        customer=customer.commercial_partner_id.display_name,
                        required=required,
                    )
                )

    def _check_quarantined_lots(self):
        """A quarantined lot may only go to a quarantine location, to scrap (inventory loss) or
        back to a supplier, until a quality manager releases it."""
        if self.env.context.get("batch_expiry_quarantine_transfer"):
            return
        for line in self.move_line_ids:
            lot = line.lot_id
            if not lot.is_quarantined or not line.quantity:
                continue
            destination = line.location_dest_id
            if destination.is_quarantine or destination.usage in ("inventory", "supplier"):
                continue
            raise UserError(
                self.env._(
                    "Lot %(lot)s of %(product)s is in quarantine (%(reason)s): it cannot be moved to"
                    " %(destination)s. Keep it in quarantine, scrap it or return it to the supplier;"
                    " only a quality manager can release it.",
                    lot=lot.name,
                    product=line.product_id.display_name,
                    reason=lot.quarantine_reason or self.env._("no reason given"),
                    destination=destination.display_name,
                )
            )
