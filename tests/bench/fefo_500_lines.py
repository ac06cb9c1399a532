# Runs inside `bin/odoo shell` (see run_bench.py), on a database with batch_expiry and on one
# with only product_expiry: reservation of a 500-line delivery, FEFO, 5 lots per product.
import json
import statistics
import time
from datetime import timedelta

from odoo import Command, fields

N_LINES = 500
LOTS = 5
ROUNDS = 5

warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
customer = env.ref("stock.stock_location_customers")
fefo = env.ref("product_expiry.removal_fefo")
category = env["product.category"].create({"name": "Bench FEFO", "removal_strategy_id": fefo.id})
products = env["product.product"].create(
    [
        {
            "name": f"Bench FEFO {i:03d}",
            "is_storable": True,
            "tracking": "lot",
            "use_expiration_date": True,
            "categ_id": category.id,
        }
        for i in range(N_LINES)
    ]
)
now = fields.Datetime.now()
lots = env["stock.lot"].create(
    [
        {"name": f"BF-{p.id}-{n}", "product_id": p.id, "expiration_date": now + timedelta(days=100 + 50 * n)}
        for p in products
        for n in range(LOTS)
    ]
)
for lot in lots:
    env["stock.quant"]._update_available_quantity(lot.product_id, warehouse.lot_stock_id, 10, lot_id=lot)
partner = env["res.partner"].create({"name": "Bench Pharmacy"})
picking = env["stock.picking"].create(
    {
        "picking_type_id": warehouse.out_type_id.id,
        "partner_id": partner.id,
        "location_id": warehouse.lot_stock_id.id,
        "location_dest_id": customer.id,
        "move_ids": [
            Command.create(
                {
                    "name": p.name,
                    "product_id": p.id,
                    "product_uom_qty": 25,
                    "location_id": warehouse.lot_stock_id.id,
                    "location_dest_id": customer.id,
                }
            )
            for p in products
        ],
    }
)
picking.action_confirm()
picking.do_unreserve()
env.flush_all()
timings = []
for _round in range(ROUNDS):
    env.invalidate_all()
    started = time.time()
    picking.action_assign()
    env.flush_all()
    timings.append(time.time() - started)
    reserved = sum(picking.move_ids.mapped("quantity"))
    picking.do_unreserve()
    env.flush_all()
first_lots = picking.move_ids.move_line_ids.lot_id
print(
    "BENCH "
    + json.dumps(
        {
            "median_seconds": round(statistics.median(timings), 3),
            "reserved": reserved,
            "rounds": [round(t, 3) for t in timings],
        }
    )
)
env.cr.rollback()
