# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class StockQuant(models.Model):
    _inherit = "stock.quant"

    expiry_state = fields.Selection(related="lot_id.expiry_state", string="Expiry State")
    is_quarantined = fields.Boolean(related="lot_id.is_quarantined", string="Quarantined")

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
        if self.env.context.get("batch_expiry_quarantine_transfer"):
            return quants
        # Filtered here rather than in the search domain: a product's quants at a location are
        # few, while extra joins in every reservation query cost much more.
        minimum = self.env.context.get("batch_expiry_min_expiration")
        return quants.filtered(
            lambda quant: (
                not quant.lot_id.is_quarantined
                and not quant.location_id.is_quarantine
                # Moves to customers take only lots that expire after the customer's minimum shelf life.
                and (not minimum or not quant.expiration_date or quant.expiration_date >= minimum)
            )
        )

    def _get_removal_strategy(self, product_id, location_id):
        # First expiring, first out, for every product whose lots expire.
        if product_id.use_expiration_date:
            return "fefo"
        return super()._get_removal_strategy(product_id, location_id)
