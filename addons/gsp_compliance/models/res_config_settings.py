# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    gsp_retention_years = fields.Integer(related="company_id.gsp_retention_years", readonly=False)
