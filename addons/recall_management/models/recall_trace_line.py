# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models

TRACE_KINDS = [
    ("supplier_receipt", "Supplier Receipt"),
    ("on_hand", "On Hand"),
    ("in_transit", "In Transit"),
    ("customer_delivery", "Customer Delivery"),
    ("customer_return", "Customer Return"),
    ("scrap", "Scrapped"),
    ("consumed", "Consumed in Production"),
    ("produced", "Produced"),
]
UPSTREAM_KINDS = ("supplier_receipt",)
CUSTOMER_KINDS = ("customer_delivery", "customer_return")

# The trace, in one statement. Parameters: %(lot_ids)s, the lots to trace.
#
# 1. ``traced``: the lots themselves, then (recursively) every lot produced from a traced lot:
#    Odoo links each finished-product move line to the component move lines it consumed through
#    stock_move_line_consume_rel (filled by mrp; empty without it). UNION (not UNION ALL) drops
#    lots already seen, so the recursion ends even on a cycle. (The relation's column names read
#    backwards: a finished line's ``consume_line_ids`` are stored with the finished line in
#    ``consume_line_id`` and the component line in ``produce_line_id``.)
# 2. ``movements``: each done move line of a traced lot that crosses the company's boundary
#    (supplier, customer, scrap, production), in the product's unit (quantity_product_uom, labelled
#    with the product's unit, whatever unit the line was entered in), classified and signed so
#    that, per lot,
#        received - returned to supplier + produced
#          = delivered - returned by customers + scrapped + consumed + on hand + in transit.
#    Moves between internal locations cancel out and are not listed: their result is the stock.
# 3. ``stock``: quants of traced lots in internal locations (on hand, quarantine included) and in
#    transit locations.
# Rows are grouped by lot, kind, partner (commercial entity), location and transfer.
TRACE_QUERY = """
WITH RECURSIVE traced(lot_id) AS (
        SELECT unnest(%(lot_ids)s::int[])
    UNION
        SELECT produced.lot_id
          FROM traced
          JOIN stock_move_line consumed ON consumed.lot_id = traced.lot_id AND consumed.state = 'done'
          JOIN stock_move_line_consume_rel rel ON rel.produce_line_id = consumed.id
          JOIN stock_move_line produced ON produced.id = rel.consume_line_id
         WHERE produced.state = 'done' AND produced.lot_id IS NOT NULL
),
movements AS (
    SELECT ml.lot_id, ml.product_id, product_tmpl.uom_id AS product_uom_id,
           COALESCE(ml.picking_id, move.picking_id) AS picking_id,
           ml.date,
           CASE
               WHEN src.usage = 'supplier' THEN 'supplier_receipt'
               WHEN dst.usage = 'supplier' THEN 'supplier_receipt'
               WHEN dst.usage = 'customer' THEN 'customer_delivery'
               WHEN src.usage = 'customer' THEN 'customer_return'
               WHEN dst.usage = 'production' THEN 'consumed'
               WHEN src.usage = 'production' THEN 'produced'
               ELSE 'scrap'
           END AS kind,
           CASE
               WHEN dst.usage = 'supplier' OR src.usage = 'customer' THEN -ml.quantity_product_uom
               ELSE ml.quantity_product_uom
           END AS quantity,
           CASE
               WHEN src.usage IN ('supplier', 'customer', 'production') THEN src.id ELSE dst.id
           END AS location_id,
           CASE
               WHEN src.usage IN ('supplier', 'customer') OR dst.usage IN ('supplier', 'customer')
               THEN COALESCE(partner.commercial_partner_id, partner.id)
           END AS partner_id
      FROM stock_move_line ml
      JOIN traced ON traced.lot_id = ml.lot_id
      JOIN product_product product ON product.id = ml.product_id
      JOIN product_template product_tmpl ON product_tmpl.id = product.product_tmpl_id
      JOIN stock_location src ON src.id = ml.location_id
      JOIN stock_location dst ON dst.id = ml.location_dest_id
      LEFT JOIN stock_move move ON move.id = ml.move_id
      LEFT JOIN stock_picking picking ON picking.id = COALESCE(ml.picking_id, move.picking_id)
      LEFT JOIN res_partner partner ON partner.id = COALESCE(picking.partner_id, move.partner_id)
     WHERE ml.state = 'done'
       AND (src.usage IN ('supplier', 'customer', 'production')
            OR dst.usage IN ('supplier', 'customer', 'production')
            OR (dst.usage = 'inventory' AND (dst.scrap_location OR move.scrapped)))
),
stock AS (
    SELECT quant.lot_id, quant.product_id, product_tmpl.uom_id AS product_uom_id,
           NULL::int AS picking_id, MAX(quant.in_date) AS date,
           CASE WHEN loc.usage = 'transit' THEN 'in_transit' ELSE 'on_hand' END AS kind,
           SUM(quant.quantity) AS quantity, quant.location_id, NULL::int AS partner_id
      FROM stock_quant quant
      JOIN traced ON traced.lot_id = quant.lot_id
      JOIN stock_location loc ON loc.id = quant.location_id
      JOIN product_product product ON product.id = quant.product_id
      JOIN product_template product_tmpl ON product_tmpl.id = product.product_tmpl_id
     WHERE loc.usage IN ('internal', 'transit')
     GROUP BY quant.lot_id, quant.product_id, product_tmpl.uom_id, quant.location_id, loc.usage
    HAVING SUM(quant.quantity) != 0
)
SELECT lot_id, product_id, kind, partner_id, location_id, picking_id,
       SUM(quantity) AS quantity, MIN(product_uom_id) AS uom_id, MAX(date) AS date
  FROM (SELECT lot_id, product_id, product_uom_id, picking_id, date, kind, quantity, location_id,
               partner_id FROM movements
        UNION ALL
        SELECT lot_id, product_id, product_uom_id, picking_id, date, kind, quantity, location_id,
               partner_id FROM stock) AS trace
 GROUP BY lot_id, product_id, kind, partner_id, location_id, picking_id
 ORDER BY lot_id, MAX(date), kind
"""


class RecallTraceLine(models.Model):
    """Where the stock of a recalled lot came from and where it went, as found by the trace."""

    _name = "recall.trace.line"
    _description = "Recall Trace Line"
    _order = "event_id, direction desc, kind, partner_id, lot_id, date"

    event_id = fields.Many2one("recall.event", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="event_id.company_id", store=True, index=True)
    is_mock = fields.Boolean(related="event_id.is_mock", store=True)
    lot_id = fields.Many2one("stock.lot", required=True, index=True)
    product_id = fields.Many2one("product.product", required=True)
    direction = fields.Selection(
        [("upstream", "Upstream"), ("downstream", "Downstream")], required=True, index=True
    )
    kind = fields.Selection(TRACE_KINDS, required=True, index=True)
    partner_id = fields.Many2one("res.partner", index=True)
    location_id = fields.Many2one("stock.location")
    picking_id = fields.Many2one("stock.picking", string="Transfer")
    quantity = fields.Float(
        digits="Product Unit of Measure",
        help="In the product's unit. Returns (from customers, to suppliers) are negative.",
    )
    uom_id = fields.Many2one("uom.uom", string="Unit")
    date = fields.Datetime()

    @api.model
    def _trace_rows(self, lot_ids):
        """Trace ``lot_ids`` (and the lots made from them) in one SQL query over done move lines
        and quants; see TRACE_QUERY. Returns a list of dicts with the fields of trace lines
        (direction included), without ``event_id``."""
        if not lot_ids:
            return []
        self.env.flush_all()
        self.env.cr.execute(TRACE_QUERY, {"lot_ids": list(lot_ids)})
        rows = self.env.cr.dictfetchall()
        for row in rows:
            row["direction"] = "upstream" if row["kind"] in UPSTREAM_KINDS else "downstream"
        return rows
