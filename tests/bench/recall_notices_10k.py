"""Runs inside `bin/odoo shell` on a database with recall_management (see run_bench.py).

A recall of one lot delivered to 10,000 customers (RECALL_BENCH_NOTICES): the notices are
generated and queued as e-mails (mail.mail records, not sent).

Data, loaded with set-based SQL as the ORM would have written it: 10,000 customer companies with
an e-mail address; one lot-tracked product; one lot received from a supplier (40,000 units, one
receipt) and delivered to every customer (1 to 5 units each, one delivery transfer per customer);
what is left is on hand in WH/Stock.

Timed, once each, as a quality manager does it on the recall: ``action_trace()`` (the trace and
its 10,000 trace lines), ``action_start()`` (quarantine of the lot and generation of the 10,000
notices) and ``action_send_notices()`` (10,000 e-mails rendered from the notice template and
queued; the PDF letters are rendered later, by the mail queue). Then checked: 10,000 outgoing
mails on the notices, each with its portal link. RECALL_BENCH_PROFILE=1 prints the profile of the
sending. Everything is rolled back.
"""

import cProfile
import io
import json
import os
import pstats
import time

from odoo import Command

NOTICES = int(os.environ.get("RECALL_BENCH_NOTICES", "10000"))
RECEIVED = 4 * NOTICES
PROFILE = os.environ.get("RECALL_BENCH_PROFILE") == "1"

cr = env.cr  # env: provided by odoo shell
company = env.company
warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
product = env["product.product"].create(
    {"name": "Bench recalled vaccine", "is_storable": True, "tracking": "lot"}
)
supplier = env["res.partner"].create({"name": "Bench Supplier", "is_company": True, "supplier_rank": 1})
lot = env["stock.lot"].create({"name": "RECALL-NOTICES", "product_id": product.id})
env.flush_all()
params = {
    "company": company.id,
    "stock": warehouse.lot_stock_id.id,
    "supplier_loc": env.ref("stock.stock_location_suppliers").id,
    "customer_loc": env.ref("stock.stock_location_customers").id,
    "in_type": warehouse.in_type_id.id,
    "out_type": warehouse.out_type_id.id,
    "warehouse": warehouse.id,
    "supplier": supplier.id,
    "product": product.id,
    "product_name": product.name,
    "uom": product.uom_id.id,
    "lot": lot.id,
    "notices": NOTICES,
    "received": RECEIVED,
}

started = time.time()
cr.execute(
    """
    -- The customers, as res.partner.create would make them (commercial entity = itself).
    CREATE TEMP TABLE bench_customer ON COMMIT DROP AS
    SELECT n, nextval('res_partner_id_seq')::int AS id FROM generate_series(0, %(notices)s - 1) n;
    INSERT INTO res_partner (id, name, complete_name, email, email_normalized, is_company, type, active,
                             lang, autopost_bills, commercial_partner_id, partner_share, customer_rank,
                             supplier_rank, create_uid, write_uid, create_date, write_date)
    SELECT id, 'Bench Pharmacy ' || n, 'Bench Pharmacy ' || n, 'pharmacy' || n || '@bench.example.com',
           'pharmacy' || n || '@bench.example.com', true, 'contact', true, 'en_US', 'ask', id, true, 1, 0,
           1, 1, now(), now()
      FROM bench_customer;
    -- One receipt, then one delivery per customer; one move and one move line per transfer.
    CREATE TEMP TABLE bench_line ON COMMIT DROP AS
    SELECT nextval('stock_picking_id_seq')::int AS picking_id, nextval('stock_move_id_seq')::int AS move_id,
           line.*
      FROM (SELECT true AS incoming, %(supplier)s AS partner_id, %(received)s AS qty,
                   now() - interval '60 days' AS date
            UNION ALL
            SELECT false, id, 1 + n %% 5, now() - interval '59 days' + n * interval '5 minutes'
              FROM bench_customer) line;
    INSERT INTO stock_picking (id, name, location_id, location_dest_id, picking_type_id, partner_id,
                               company_id, user_id, move_type, state, priority, is_locked, printed,
                               has_deadline_issue, scheduled_date, date, date_done,
                               create_uid, write_uid, create_date, write_date)
    SELECT picking_id,
           CASE WHEN incoming THEN 'WH/IN/N' ELSE 'WH/OUT/N' END || lpad(picking_id::text, 7, '0'),
           CASE WHEN incoming THEN %(supplier_loc)s ELSE %(stock)s END,
           CASE WHEN incoming THEN %(stock)s ELSE %(customer_loc)s END,
           CASE WHEN incoming THEN %(in_type)s ELSE %(out_type)s END,
           partner_id, %(company)s, 2, 'direct', 'done', '0', true, false, false, date, date, date,
           2, 2, date, date
      FROM bench_line;
    INSERT INTO stock_move (id, name, sequence, company_id, product_id, product_uom, location_id,
                            location_dest_id, picking_id, picking_type_id, warehouse_id, state,
                            procure_method, reference, product_qty, product_uom_qty, quantity,
                            picked, scrapped, is_inventory, additional, propagate_cancel, priority,
                            price_unit, date, create_uid, write_uid, create_date, write_date)
    SELECT l.move_id, %(product_name)s, 10, %(company)s, %(product)s, %(uom)s, p.location_id,
           p.location_dest_id, p.id, p.picking_type_id, %(warehouse)s, 'done', 'make_to_stock', p.name,
           l.qty, l.qty, l.qty, true, false, false, false, true, '0', 0, l.date, 2, 2, l.date, l.date
      FROM bench_line l JOIN stock_picking p ON p.id = l.picking_id;
    INSERT INTO stock_move_line (move_id, picking_id, company_id, product_id, product_uom_id, lot_id,
                                 location_id, location_dest_id, state, reference, quantity,
                                 quantity_product_uom, picked, date, create_uid, write_uid, create_date,
                                 write_date)
    SELECT m.id, m.picking_id, %(company)s, %(product)s, %(uom)s, %(lot)s, m.location_id,
           m.location_dest_id, 'done', m.reference, l.qty, l.qty, true, l.date, 2, 2, l.date, l.date
      FROM bench_line l JOIN stock_move m ON m.id = l.move_id
     ORDER BY l.date;
    INSERT INTO stock_quant (product_id, company_id, location_id, lot_id, quantity, reserved_quantity,
                             in_date, create_uid, write_uid, create_date, write_date)
    SELECT %(product)s, %(company)s, %(stock)s, %(lot)s,
           SUM(CASE WHEN incoming THEN qty ELSE -qty END), 0, MIN(date), 2, 2, now(), now()
      FROM bench_line;
    ANALYZE res_partner;
    ANALYZE stock_picking;
    ANALYZE stock_move;
    ANALYZE stock_move_line;
    ANALYZE stock_quant;
    """,
    params,
)
cr.execute("SELECT SUM(qty) FROM bench_line WHERE NOT incoming")
delivered = cr.fetchone()[0]
env.invalidate_all()
setup_seconds = time.time() - started

event = env["recall.event"].create(
    {
        "title": "Bench recall: 10,000 customers",
        "level_id": env.ref("recall_management.recall_level_2").id,
        "user_id": env.ref("base.user_admin").id,
        "line_ids": [Command.create({"product_id": product.id, "lot_id": lot.id})],
    }
)
event.action_submit()
if "gsp.signature" in env:  # a signed decision with gsp_compliance: its system path
    event._gsp_system_decision("action_approve", "Bench")
else:
    event.action_approve()
env.flush_all()


def timed(function):
    env.invalidate_all()
    started = time.perf_counter()
    function()
    env.flush_all()
    return time.perf_counter() - started


trace_seconds = timed(event.action_trace)
assert event.qty_distributed == delivered, (event.qty_distributed, delivered)
start_seconds = timed(event.action_start)
assert event.state == "in_progress" and lot.is_quarantined
assert len(event.notice_ids) == NOTICES, len(event.notice_ids)
profile = cProfile.Profile() if PROFILE else None
if profile:
    profile.enable()
send_seconds = timed(event.action_send_notices)
if profile:
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(40)
    print(out.getvalue())
cr.execute(
    """
    SELECT COUNT(*),
           COUNT(*) FILTER (WHERE mail.state = 'outgoing'),
           COUNT(*) FILTER (WHERE mail.body_html LIKE '%%/my/recall_notices/' || msg.res_id || '%%'),
           COUNT(DISTINCT msg.res_id)
      FROM mail_mail mail
      JOIN mail_message msg ON msg.id = mail.mail_message_id
     WHERE msg.model = 'recall.notice' AND msg.res_id = ANY(%s)
    """,
    [event.notice_ids.ids],
)
mails, outgoing, with_link, notices_mailed = cr.fetchone()
assert mails == outgoing == with_link == notices_mailed == NOTICES, (
    mails,
    outgoing,
    with_link,
    notices_mailed,
)
assert all(state == "sent" for state in event.notice_ids.mapped("state"))

print(
    "BENCH "
    + json.dumps(
        {
            "notices": len(event.notice_ids),
            "mails_queued": outgoing,
            "setup_seconds": round(setup_seconds, 1),
            "trace_seconds": round(trace_seconds, 2),
            "generate_seconds": round(start_seconds, 2),
            "send_seconds": round(send_seconds, 2),
            "total_seconds": round(trace_seconds + start_seconds + send_seconds, 2),
        }
    )
)
env.cr.rollback()
