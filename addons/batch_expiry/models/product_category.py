# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    expiry_warning_days = fields.Integer(
        string="Near-Expiry Warning (Days)",
        help="For the products of this category that set none; 0: the company's setting.",
    )
