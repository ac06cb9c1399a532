# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    expiry_warning_days = fields.Integer(
        string="Near-Expiry Warning (Days)",
        default=90,
        help="A lot is near expiry this many days before its expiration date, unless its product or"
        " product category says otherwise.",
    )
    expiry_auto_quarantine = fields.Boolean(
        string="Quarantine Expired Lots",
        default=True,
        help="The daily expiry scan moves the stock of expired lots to quarantine.",
    )

    @api.constrains("expiry_warning_days")
    def _check_expiry_warning_days(self):
        for company in self:
            if company.expiry_warning_days < 0:
                raise ValidationError(
                    self.env._(
                        "The near-expiry warning of %(company)s cannot be negative.", company=company.name
                    )
                )
