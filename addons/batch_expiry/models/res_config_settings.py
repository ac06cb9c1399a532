# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    expiry_warning_days = fields.Integer(related="company_id.expiry_warning_days", readonly=False)
    expiry_auto_quarantine = fields.Boolean(related="company_id.expiry_auto_quarantine", readonly=False)
