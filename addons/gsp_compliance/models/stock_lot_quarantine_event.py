# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class StockLotQuarantineEvent(models.Model):
    _inherit = "stock.lot.quarantine.event"

    # G2: a release is a signed decision; the history keeps the signature it was taken with.
    signature_id = fields.Many2one("gsp.signature", readonly=True, copy=False)
