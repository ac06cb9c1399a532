# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        changed = self.filtered(lambda partner: partner.lang != vals["lang"]) if vals.get("lang") else self
        result = super().write(vals)
        # sudo: the companies and their sequences are not every contact editor's to read.
        companies = self.env["res.company"].sudo()
        if vals.get("lang") and companies.search_count([("partner_id", "in", changed.ids)], limit=1):
            # A company that chose another language: its records are named in it.
            companies._gsp_name_plain_data(langs=[vals["lang"]])
        return result
