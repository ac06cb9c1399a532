"""Runs inside `bin/odoo shell` on a database with recall_management (see run_bench.py).

The trace of one lot in a database of 1,000,000 done move lines (RECALL_BENCH_MOVE_LINES), next
to Odoo's own traceability report for the same lot, in the same run.

Data, loaded with set-based SQL (INSERT ... SELECT generate_series), consistent with what the
ORM would have written: 5 lot-tracked storable products; background lots of 50 move lines each
(one receipt of 200 units from a supplier into WH/Stock, then 49 deliveries of 1-3 units from
WH/Stock to customers), 10 lots to a transfer (receipts, and deliveries to one of 2,000 customer
companies), one move per product of a transfer (two lots each); and the target lot with 5,000
done move lines: 10 receipts of 1,000 units and 4,990 deliveries to 1,000 different customers,
each its own transfer. Every lot's remaining stock is a quant in WH/Stock. Stock valuation layers
are not made (neither the trace nor the report reads them). As a superuser (the throwaway
cluster's role) the load skips the row-by-row foreign key checks; the references are checked
once after it.

Timed, median of 5 warm runs, each after the ORM cache is emptied: (a) the trace query,
``recall.trace.line._trace_rows``; (b) ``recall.event.action_trace()`` on a recall of the lot,
which also writes the 5,001 trace lines; (c) ``stock.traceability.report.get_lines()`` for the lot,
as the lot form's Traceability button calls it. The results are checked against the data.
Everything is rolled back.
"""

import json
import os
import statistics
import time

from odoo import Command

MOVE_LINES = int(os.environ.get("RECALL_BENCH_MOVE_LINES", "1000000"))
LOT_MOVE_LINES = 5000
LOT_RECEIPTS = 10
LOT_RECEIPT_QTY = 1000
LOT_CUSTOMERS = 1000
CUSTOMERS = 2000
LINES_PER_LOT = 50  # background lots: 1 receipt + 49 deliveries
ROUNDS = 5

cr = env.cr  # env: provided by odoo shell
company = env.company
warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
stock = warehouse.lot_stock_id
supplier_location = env.ref("stock.stock_location_suppliers")
customer_location = env.ref("stock.stock_location_customers")
products = env["product.product"].create(
    [{"name": f"Bench recall drug {i}", "is_storable": True, "tracking": "lot"} for i in range(5)]
)
supplier = env["res.partner"].create({"name": "Bench Supplier", "is_company": True, "supplier_rank": 1})
env.flush_all()
cr.execute("SELECT COUNT(*) FROM stock_move_line WHERE state = 'done'")  # demo data
background_lines = max(MOVE_LINES - LOT_MOVE_LINES - cr.fetchone()[0], 0)
background_lots = -(-background_lines // LINES_PER_LOT)
params = {
    "company": company.id,
    "stock": stock.id,
    "supplier_loc": supplier_location.id,
    "customer_loc": customer_location.id,
    "in_type": warehouse.in_type_id.id,
    "out_type": warehouse.out_type_id.id,
    "warehouse": warehouse.id,
    "supplier": supplier.id,
    "products": products.ids,
    "uom": products[0].uom_id.id,
    "n_products": len(products),
    "customers": CUSTOMERS,
    "lot_customers": LOT_CUSTOMERS,
    "background_lines": background_lines,
    "background_lots": background_lots,
    "lines_per_lot": LINES_PER_LOT,
    "lot_lines": LOT_MOVE_LINES,
    "lot_receipts": LOT_RECEIPTS,
    "lot_receipt_qty": LOT_RECEIPT_QTY,
}

# The data, step by step (each step timed).
SETUP = [
    (
        "customers",
        """
        CREATE TEMP TABLE bench_customer ON COMMIT DROP AS
        SELECT n, nextval('res_partner_id_seq')::int AS id FROM generate_series(0, %(customers)s - 1) n;
        INSERT INTO res_partner (id, name, complete_name, email, email_normalized, is_company, type, active,
                                 lang, autopost_bills, commercial_partner_id, partner_share, customer_rank,
                                 supplier_rank, create_uid, write_uid, create_date, write_date)
        SELECT id, 'Bench Pharmacy ' || n, 'Bench Pharmacy ' || n, 'pharmacy' || n || '@bench.example.com',
               'pharmacy' || n || '@bench.example.com', true, 'contact', true, 'en_US', 'ask', id, true, 1, 0,
               1, 1, now(), now()
          FROM bench_customer
        """,
    ),
    (
        "lots",
        """
        CREATE TEMP TABLE bench_lot ON COMMIT DROP AS
        SELECT n AS idx, nextval('stock_lot_id_seq')::int AS id,
               (%(products)s::int[])[1 + CASE WHEN n < 0 THEN 0 ELSE n / 2 %% %(n_products)s END]
                   AS product_id
          FROM generate_series(-1, %(background_lots)s - 1) n;
        CREATE UNIQUE INDEX ON bench_lot (idx);
        INSERT INTO stock_lot (id, name, product_id, product_uom_id, company_id, is_quarantined,
                               near_expiry_notified, create_uid, write_uid, create_date, write_date)
        SELECT id, CASE WHEN idx < 0 THEN 'RECALL-TARGET' ELSE 'RB-' || lpad(idx::text, 6, '0') END,
               product_id, %(uom)s, %(company)s, false, false, 1, 1, now(), now()
          FROM bench_lot
        """,
    ),
    (
        "lines",
        """
        -- One row per move line, with the key of its transfer (10 lots to a transfer).
        CREATE TEMP TABLE bench_line ON COMMIT DROP AS
          WITH customer_ids AS (SELECT array_agg(id ORDER BY n) AS ids FROM bench_customer)
        SELECT lot.id AS lot_id, lot.product_id, s.i %% %(lines_per_lot)s = 0 AS incoming,
               CASE WHEN s.i %% %(lines_per_lot)s = 0 THEN 200 ELSE 1 + s.i %% 3 END AS qty,
               CASE WHEN s.i %% %(lines_per_lot)s = 0 THEN 'I' || s.i / (10 * %(lines_per_lot)s)
                    ELSE 'O' || s.i / (10 * %(lines_per_lot)s) || '-' || s.i %% %(lines_per_lot)s
               END AS pkey,
               CASE WHEN s.i %% %(lines_per_lot)s = 0 THEN %(supplier)s
                    ELSE c.ids[1 + (s.i / (10 * %(lines_per_lot)s) * 49 + s.i %% %(lines_per_lot)s)
                                   %% %(customers)s]
               END AS partner_id,
               now() - interval '400 days'
                     + make_interval(days => (s.i / %(lines_per_lot)s) %% 300,
                                     hours => s.i %% %(lines_per_lot)s) AS date
          FROM generate_series(0, %(background_lines)s - 1) s(i)
          JOIN bench_lot lot ON lot.idx = s.i / %(lines_per_lot)s
         CROSS JOIN customer_ids c
        UNION ALL
        SELECT lot.id, lot.product_id, k < %(lot_receipts)s,
               CASE WHEN k < %(lot_receipts)s THEN %(lot_receipt_qty)s ELSE 1 + k %% 3 END,
               CASE WHEN k < %(lot_receipts)s THEN 'TI' || k ELSE 'TO' || k END,
               CASE WHEN k < %(lot_receipts)s THEN %(supplier)s ELSE c.ids[1 + k %% %(lot_customers)s] END,
               now() - interval '90 days' + k * interval '10 minutes'
          FROM generate_series(0, %(lot_lines)s - 1) k
          JOIN bench_lot lot ON lot.idx = -1
         CROSS JOIN customer_ids c;
        -- One move per product of a transfer (two lots of a product in each background transfer).
        CREATE TEMP TABLE bench_move ON COMMIT DROP AS
        SELECT nextval('stock_move_id_seq')::int AS id, m.*
          FROM (SELECT pkey, product_id, SUM(qty) AS qty, MAX(date) AS date
                  FROM bench_line GROUP BY pkey, product_id) m;
        CREATE TEMP TABLE bench_picking ON COMMIT DROP AS
        SELECT nextval('stock_picking_id_seq')::int AS id, p.*
          FROM (SELECT pkey, bool_or(incoming) AS incoming, MIN(partner_id) AS partner_id, MAX(date) AS date
                  FROM bench_line GROUP BY pkey) p;
        ANALYZE bench_line;
        ANALYZE bench_move;
        ANALYZE bench_picking
        """,
    ),
    (
        "pickings",
        """
        INSERT INTO stock_picking (id, name, origin, location_id, location_dest_id, picking_type_id,
                                   partner_id, company_id, user_id, move_type, state, priority, is_locked,
                                   printed, has_deadline_issue, scheduled_date, date, date_done,
                                   create_uid, write_uid, create_date, write_date)
        SELECT id, CASE WHEN incoming THEN 'WH/IN/B' ELSE 'WH/OUT/B' END || lpad(id::text, 7, '0'), pkey,
               CASE WHEN incoming THEN %(supplier_loc)s ELSE %(stock)s END,
               CASE WHEN incoming THEN %(stock)s ELSE %(customer_loc)s END,
               CASE WHEN incoming THEN %(in_type)s ELSE %(out_type)s END,
               partner_id, %(company)s, 2, 'direct', 'done', '0', true, false, false, date, date, date,
               2, 2, date, date
          FROM bench_picking
        """,
    ),
    (
        "moves",
        """
        INSERT INTO stock_move (id, name, sequence, company_id, product_id, product_uom, location_id,
                                location_dest_id, picking_id, picking_type_id, warehouse_id, state,
                                procure_method, reference, origin, product_qty, product_uom_qty, quantity,
                                picked, scrapped, is_inventory, additional, propagate_cancel, priority,
                                price_unit, date, create_uid, write_uid, create_date, write_date)
        SELECT m.id, pt.name->>'en_US', 10, %(company)s, m.product_id, %(uom)s,
               p.location_id, p.location_dest_id, p.id, p.picking_type_id, %(warehouse)s, 'done',
               'make_to_stock', p.name, p.origin, m.qty, m.qty, m.qty, true, false, false, false, true, '0',
               0, m.date, 2, 2, m.date, m.date
          FROM bench_move m
          JOIN bench_picking bp ON bp.pkey = m.pkey
          JOIN stock_picking p ON p.id = bp.id
          JOIN product_product pp ON pp.id = m.product_id
          JOIN product_template pt ON pt.id = pp.product_tmpl_id
         ORDER BY m.id
        """,
    ),
    (
        "move lines",
        """
        INSERT INTO stock_move_line (move_id, picking_id, company_id, product_id, product_uom_id, lot_id,
                                     location_id, location_dest_id, state, reference, quantity,
                                     quantity_product_uom, picked, date, create_uid, write_uid, create_date,
                                     write_date)
        SELECT m.id, m.picking_id, %(company)s, m.product_id, %(uom)s, l.lot_id, m.location_id,
               m.location_dest_id, 'done', m.reference, l.qty, l.qty, true, l.date, 2, 2, l.date, l.date
          FROM bench_line l
          JOIN bench_move bm ON bm.pkey = l.pkey AND bm.product_id = l.product_id
          JOIN stock_move m ON m.id = bm.id
         ORDER BY l.date
        """,
    ),
    (
        "quants",
        """
        -- What is left of each lot is on hand in WH/Stock.
        INSERT INTO stock_quant (product_id, company_id, location_id, lot_id, quantity, reserved_quantity,
                                 in_date, create_uid, write_uid, create_date, write_date)
        SELECT product_id, %(company)s, %(stock)s, lot_id,
               SUM(CASE WHEN incoming THEN qty ELSE -qty END), 0, MIN(date), 2, 2, now(), now()
          FROM bench_line
         GROUP BY product_id, lot_id
        HAVING SUM(CASE WHEN incoming THEN qty ELSE -qty END) > 0
        """,
    ),
]
started = time.time()
setup_steps = {}
cr.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
bulk_mode = cr.fetchone()[0]
if bulk_mode:
    # A superuser (the throwaway cluster's role) loads without the row-by-row foreign key checks;
    # the references are checked once below.
    cr.execute("SET LOCAL session_replication_role = replica")
for label, query in SETUP:
    step_started = time.time()
    cr.execute(query, params)
    setup_steps[label] = round(time.time() - step_started, 1)
cr.execute("ANALYZE res_partner; ANALYZE stock_lot; ANALYZE stock_picking; ANALYZE stock_move;")
cr.execute("ANALYZE stock_move_line; ANALYZE stock_quant;")
if bulk_mode:
    cr.execute("SET LOCAL session_replication_role = DEFAULT")
    cr.execute(
        """
        SELECT (SELECT COUNT(*) FROM bench_line),
               (SELECT COUNT(*)
                  FROM stock_move_line ml
                  JOIN bench_lot ON bench_lot.id = ml.lot_id
                  JOIN stock_lot lot ON lot.id = ml.lot_id
                  JOIN stock_move m ON m.id = ml.move_id AND m.picking_id = ml.picking_id
                  JOIN stock_picking p ON p.id = m.picking_id
                  JOIN res_partner partner ON partner.id = p.partner_id)
        """
    )
    loaded, linked = cr.fetchone()
    assert loaded == linked, f"{loaded - linked} move lines refer to a missing lot, move, transfer or partner"
cr.execute(
    "SELECT lot_id, SUM(qty) FILTER (WHERE incoming), SUM(qty) FILTER (WHERE NOT incoming),"
    " COUNT(DISTINCT partner_id) FILTER (WHERE NOT incoming), COUNT(*)"
    " FROM bench_line WHERE lot_id = (SELECT id FROM bench_lot WHERE idx = -1) GROUP BY lot_id"
)
lot_id, lot_received, lot_delivered, lot_customers, lot_lines = cr.fetchone()
env.invalidate_all()
setup_seconds = time.time() - started
cr.execute("SELECT COUNT(*) FROM stock_move_line WHERE state = 'done'")
done_lines = cr.fetchone()[0]
lot = env["stock.lot"].browse(lot_id)
assert lot_lines == LOT_MOVE_LINES, lot_lines
assert lot.product_qty == lot_received - lot_delivered, (lot.product_qty, lot_received, lot_delivered)


def timed(function, rounds=ROUNDS):
    """Median seconds of ``rounds`` runs of ``function`` after one untimed warm-up run, the ORM
    cache emptied before each; and the last result."""
    env.invalidate_all()
    result = function()
    timings = []
    for _round in range(rounds):
        env.invalidate_all()
        started = time.perf_counter()
        result = function()
        env.flush_all()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), timings, result


# (a) The trace query.
trace_seconds, trace_rounds, rows = timed(lambda: env["recall.trace.line"]._trace_rows([lot.id]))
by_kind = {}
for row in rows:
    by_kind.setdefault(row["kind"], []).append(row)
delivered = sum(row["quantity"] for row in by_kind.get("customer_delivery", []))
received = sum(row["quantity"] for row in by_kind.get("supplier_receipt", []))
on_hand = sum(row["quantity"] for row in by_kind.get("on_hand", []))
assert delivered == lot_delivered, (delivered, lot_delivered)
assert received == lot_received, (received, lot_received)
assert on_hand == lot_received - lot_delivered, on_hand
assert len({row["partner_id"] for row in by_kind["customer_delivery"]}) == lot_customers == LOT_CUSTOMERS

# (b) The recall's trace, trace lines written.
event = env["recall.event"].create(
    {
        "title": "Bench recall",
        "line_ids": [Command.create({"product_id": lot.product_id.id, "lot_id": lot.id})],
    }
)
action_seconds, action_rounds, _result = timed(event.action_trace)
assert len(event.trace_line_ids) == len(rows), (len(event.trace_line_ids), len(rows))
assert event.qty_distributed == lot_delivered, event.qty_distributed

# (c) Odoo's traceability report of the lot (the lot form's Traceability button).
report = env["stock.traceability.report"].with_context(active_id=lot.id, model="stock.lot")
odoo_seconds, odoo_rounds, report_lines = timed(report.get_lines)
assert len(report_lines) == LOT_MOVE_LINES, len(report_lines)
assert {line["lot_id"] for line in report_lines} == {lot.id}

print(
    "BENCH "
    + json.dumps(
        {
            "move_lines": done_lines,
            "lot_move_lines": lot_lines,
            "lot_customers": lot_customers,
            "trace_rows": len(rows),
            "report_lines": len(report_lines),
            "setup_seconds": round(setup_seconds, 1),
            "setup_steps": setup_steps,
            "trace_sql_seconds": round(trace_seconds, 4),
            "action_trace_seconds": round(action_seconds, 3),
            "odoo_report_seconds": round(odoo_seconds, 3),
            "speedup": round(odoo_seconds / trace_seconds, 1),
            "rounds": {
                "trace_sql": [round(t, 4) for t in trace_rounds],
                "action_trace": [round(t, 3) for t in action_rounds],
                "odoo_report": [round(t, 3) for t in odoo_rounds],
            },
        }
    )
)
env.cr.rollback()
