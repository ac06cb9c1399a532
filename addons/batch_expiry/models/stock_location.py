# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    is_quarantine = fields.Boolean(
        string="Quarantine Location",
        help="Stock here is on hold: quarantined or waiting for a quality decision. Nothing is reserved"
        " from it.",
    )
