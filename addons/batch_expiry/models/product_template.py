# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    expiry_warning_days = fields.Integer(
        string="Near-Expiry Warning (Days)",
        help="Lots of this product are near expiry this many days before their expiration date."
        " 0: the product category's setting, else the company's.",
    )
    storage_temp_min = fields.Float(string="Storage Temperature Min (°C)")
    storage_temp_max = fields.Float(string="Storage Temperature Max (°C)")
    has_storage_range = fields.Boolean(
        string="Temperature Controlled", help="The product must be stored between the minimum and maximum."
    )

    @api.constrains("storage_temp_min", "storage_temp_max", "has_storage_range")
    def _check_storage_range(self):
        for product in self:
            if product.has_storage_range and product.storage_temp_min > product.storage_temp_max:
                raise ValidationError(
                    self.env._(
                        "The storage range of %(product)s is wrong: the minimum (%(min)s °C) is above the"
                        " maximum (%(max)s °C).",
                        product=product.display_name,
                        min=product.storage_temp_min,
                        max=product.storage_temp_max,
                    )
                )

    @api.constrains("expiry_warning_days")
    def _check_expiry_warning_days(self):
        for product in self:
            if product.expiry_warning_days < 0:
                raise ValidationError(
                    self.env._(
                        "The near-expiry warning of %(product)s cannot be negative.",
                        product=product.display_name,
                    )
                )

    def _get_expiry_warning_days(self, company=None):
        """Days before expiry that a lot is near expiry: product, else category, else company. With
        no product (a new lot in its form), the company's."""
        if not self:
            return (company or self.env.company).expiry_warning_days
        self.ensure_one()
        company = company or self.company_id or self.env.company
        return self.expiry_warning_days or self.categ_id.expiry_warning_days or company.expiry_warning_days
