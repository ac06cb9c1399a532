# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.stock_lot import EXPIRY_STATES


class StockExpiryAnalysis(models.Model):
    """Stock on hand by expiry state, with its value (quantity x cost): pivot and graph."""

    _name = "stock.expiry.analysis"
    _description = "Stock Expiry Analysis"
    _auto = False
    _order = "expiration_date, product_id"

    company_id = fields.Many2one("res.company", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    location_id = fields.Many2one("stock.location", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    lot_id = fields.Many2one("stock.lot", readonly=True)
    expiration_date = fields.Datetime(readonly=True)
    expiry_state = fields.Selection(EXPIRY_STATES, readonly=True)
    is_quarantined = fields.Boolean(string="Quarantined", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    value = fields.Float(readonly=True, digits="Product Price")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # One row per quant with a lot in an internal location; the cost is company-dependent
        # (a JSON object per company on product_product).
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %s AS (
                SELECT quant.id AS id,
                       quant.company_id AS company_id,
                       location.warehouse_id AS warehouse_id,
                       quant.location_id AS location_id,
                       quant.product_id AS product_id,
                       template.categ_id AS categ_id,
                       quant.lot_id AS lot_id,
                       lot.expiration_date AS expiration_date,
                       COALESCE(lot.expiry_state, 'no_expiry') AS expiry_state,
                       COALESCE(lot.is_quarantined, false) AS is_quarantined,
                       quant.quantity AS quantity,
                       quant.quantity * COALESCE(
                           (product.standard_price ->> quant.company_id::text)::numeric, 0
                       ) AS value
                  FROM stock_quant quant
                  JOIN stock_location location ON location.id = quant.location_id
                  JOIN stock_lot lot ON lot.id = quant.lot_id
                  JOIN product_product product ON product.id = quant.product_id
                  JOIN product_template template ON template.id = product.product_tmpl_id
                 WHERE location.usage = 'internal'
            )
            """,
                SQL.identifier(self._table),
            )
        )
