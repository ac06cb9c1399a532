# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models

from .stock_lot_release_rule import OPERATIONS

# Context key stock.move sets around its reservation: the operations the reserved stock is for
# and the customer (see stock.move._release_target). It can only narrow what is reserved: without
# it, any status that refuses the automatic reservation keeps the lot out.
RELEASE_TARGET = "lot_release_target"


class StockQuant(models.Model):
    _inherit = "stock.quant"

    expiry_state = fields.Selection(related="lot_id.expiry_state", string="Expiry State")
    is_quarantined = fields.Boolean(related="lot_id.is_quarantined", string="Quarantined")
    lot_release_state = fields.Selection(related="lot_id.release_state", string="Release Status")
    lot_release_reasons = fields.Text(related="lot_id.release_reasons", string="Why Held")

    def _gather(
        self, product_id, location_id, lot_id=None, package_id=None, owner_id=None, strict=False, qty=0
    ):
        quants = super()._gather(
            product_id,
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
            qty=qty,
        )
        # The strict look-ups find the very quant to update (a move line's reservation, the done
        # step): they are never filtered, or quants would be duplicated and go negative.
        if strict or not quants:
            return quants
        return quants._release_reservable(location_id)

    def _release_reservable(self, location):
        """The quants a reservation from ``location`` may take: outside quarantine locations (unless
        it reserves in quarantine itself), of lots the lot-release policy lets it reserve for the
        target the moves set (see RELEASE_TARGET)."""
        operations, partner = self._release_target_from_context()
        in_quarantine = location.is_quarantine
        lots = self.lot_id
        if self.env.context.get(RELEASE_TARGET) and not self.env.cr.readonly:
            # A move reserves: wait for any decision on these lots under way (see _release_lock).
            lots._release_lock(share=True)
        refused = lots._release_refusals(operations, partner, reserve=True) if lots else {}
        return self.filtered(
            lambda quant: (
                (in_quarantine or not quant.location_id.is_quarantine)
                and (not quant.lot_id or quant.lot_id.id not in refused)
            )
        )

    def _release_target_from_context(self):
        """(operations, customer) of the reservation under way, or ((), None). Anything malformed
        is ignored: the target only narrows what is reserved."""
        target = self.env.context.get(RELEASE_TARGET)
        if not isinstance(target, (list, tuple)) or len(target) != 2:
            return (), None
        operations, partner_id = target
        if not isinstance(operations, (list, tuple)):
            return (), None
        operations = tuple(op for op in operations if op in OPERATIONS)
        # sudo: the customer's contract, whoever reserves.
        partner = self.env["res.partner"].sudo().browse(partner_id) if isinstance(partner_id, int) else None
        return operations, partner or None

    def _get_removal_strategy(self, product_id, location_id):
        # First expiring, first out, for every product whose lots expire.
        if product_id.use_expiration_date:
            return "fefo"
        return super()._get_removal_strategy(product_id, location_id)
