# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    gsp_retention_years = fields.Integer(
        string="Retention of Regulated Records (Years)",
        default=5,
        help="Acceptances, reviews, licences, recalls, notices, CAPAs, signatures and audit entries"
        " cannot be deleted for this many years from their creation.",
    )

    @api.constrains("gsp_retention_years")
    def _check_gsp_retention_years(self):
        for company in self:
            if company.gsp_retention_years < 5:
                raise ValidationError(
                    self.env._(
                        "GSP requires regulated records to be kept for at least 5 years (%(company)s).",
                        company=company.name,
                    )
                )

    @api.model
    def _gsp_plain_named_sequences(self):
        """The acceptance sequence."""
        return {
            **super()._gsp_plain_named_sequences(),
            "gsp_compliance.seq_gsp_acceptance": lambda env: env._("GSP Receipt Acceptance"),
        }
