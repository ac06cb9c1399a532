# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    min_shelf_life_days = fields.Integer(
        string="Minimum Shelf Life (Days)",
        help="Contract with this customer: lots delivered to it must have at least this many days"
        " of shelf life left. 0: no requirement.",
    )

    @api.constrains("min_shelf_life_days")
    def _check_min_shelf_life_days(self):
        for partner in self:
            if partner.min_shelf_life_days < 0:
                raise ValidationError(
                    self.env._(
                        "The minimum shelf life of %(partner)s cannot be negative (%(days)s days):"
                        " enter 0 for no requirement.",
                        partner=partner.display_name,
                        days=partner.min_shelf_life_days,
                    )
                )
