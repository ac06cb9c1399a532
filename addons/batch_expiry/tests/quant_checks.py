# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What is wrong with the quant table, in SQL on any DB-API cursor: the module tests use it on
Odoo's cursor, the cross-module tests in tests/ on their own connection to a running server's
database. Imports nothing from Odoo."""

DUPLICATES = """
    SELECT product_id, location_id, lot_id, package_id, owner_id, COUNT(*)
      FROM stock_quant WHERE product_id = ANY(%(ids)s)
  GROUP BY product_id, location_id, lot_id, package_id, owner_id, company_id
    HAVING COUNT(*) > 1
"""
NEGATIVE = """
    SELECT location.complete_name, quant.lot_id, quant.quantity
      FROM stock_quant quant JOIN stock_location location ON location.id = quant.location_id
     WHERE quant.product_id = ANY(%(ids)s) AND location.usage = 'internal' AND quant.quantity < 0
"""
RESERVED = """
    WITH quants AS (
        SELECT product_id, location_id, lot_id, package_id, owner_id, SUM(reserved_quantity) AS qty
          FROM stock_quant quant WHERE product_id = ANY(%(ids)s)
      GROUP BY product_id, location_id, lot_id, package_id, owner_id),
    lines AS (
        SELECT line.product_id, line.location_id, line.lot_id, line.package_id, line.owner_id,
               SUM(line.quantity_product_uom) AS qty
          FROM stock_move_line line JOIN stock_location location ON location.id = line.location_id
         WHERE line.product_id = ANY(%(ids)s) AND line.state NOT IN ('done', 'cancel')
           AND location.usage = 'internal'
      GROUP BY line.product_id, line.location_id, line.lot_id, line.package_id, line.owner_id)
    SELECT COALESCE(q.location_id, l.location_id), COALESCE(q.lot_id, l.lot_id),
           COALESCE(q.qty, 0), COALESCE(l.qty, 0)
      FROM quants q FULL JOIN lines l
        ON l.product_id = q.product_id AND l.location_id = q.location_id
       AND l.lot_id IS NOT DISTINCT FROM q.lot_id
       AND l.package_id IS NOT DISTINCT FROM q.package_id
       AND l.owner_id IS NOT DISTINCT FROM q.owner_id
     WHERE ROUND(COALESCE(q.qty, 0)::numeric, 6) != ROUND(COALESCE(l.qty, 0)::numeric, 6)
"""


def quant_problems(cr, product_ids):
    """{"duplicate quants": rows, "negative quants in internal locations": rows, "reserved
    quantity differs from the open move lines": rows}, each empty when the table is exact for
    ``product_ids``: one quant per product, location, lot, package and owner; no negative quantity
    in an internal location; the reserved quantity of each key equal to what the open move lines
    reserve there."""
    problems = {}
    for label, query in (
        ("duplicate quants", DUPLICATES),
        ("negative quants in internal locations", NEGATIVE),
        ("reserved quantity differs from the open move lines", RESERVED),
    ):
        cr.execute(query, {"ids": list(product_ids)})
        problems[label] = cr.fetchall()
    return problems
