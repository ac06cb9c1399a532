# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models
from odoo.osv import expression


class StockQuant(models.Model):
    _inherit = "stock.quant"

    expiry_state = fields.Selection(related="lot_id.expiry_state", string="Expiry State")
    is_quarantined = fields.Boolean(related="lot_id.is_quarantined", string="Quarantined")

    def _get_gather_domain(
        self, product_id, location_id, lot_id=None, package_id=None, owner_id=None, strict=False
    ):
        domain = super()._get_gather_domain(
            product_id, location_id, lot_id=lot_id, package_id=package_id, owner_id=owner_id, strict=strict
        )
        if self.env.context.get("batch_expiry_quarantine_transfer"):
            return domain
        # Quarantined lots and quarantine locations are never reserved, wherever the stock sits.
        domain = expression.AND(
            [
                domain,
                ["|", ("lot_id", "=", False), ("lot_id.is_quarantined", "=", False)],
                [("location_id.is_quarantine", "=", False)],
            ]
        )
        # Moves to customers take only lots that expire after the customer's minimum shelf life.
        minimum = self.env.context.get("batch_expiry_min_expiration")
        if minimum:
            domain = expression.AND(
                [domain, ["|", ("expiration_date", "=", False), ("expiration_date", ">=", minimum)]]
            )
        return domain

    def _get_removal_strategy(self, product_id, location_id):
        # First expiring, first out, for every product whose lots expire.
        if product_id.use_expiration_date:
            return "fefo"
        return super()._get_removal_strategy(product_id, location_id)
