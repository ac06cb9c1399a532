# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A model that raises CAPAs, loaded only by the tests (odoo-test-helper's FakeModelLoader)."""

from odoo import fields, models


class CapaTestComplaint(models.Model):
    _name = "capa.test.complaint"
    _inherit = ["capa.origin.mixin"]
    _description = "CAPA Test Complaint"

    name = fields.Char()
    product_id = fields.Many2one("product.product")
    lot_id = fields.Many2one("stock.lot")
    partner_id = fields.Many2one("res.partner")

    def _capa_source_type(self):
        return "complaint"

    def _capa_products(self):
        return self.product_id

    def _capa_lots(self):
        return self.lot_id

    def _capa_partner(self):
        return self.partner_id
