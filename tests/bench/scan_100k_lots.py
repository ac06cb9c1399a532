# Runs inside `bin/odoo shell` on a database with batch_expiry (see run_bench.py).
# 100,000 lots with quants, spread over 1,000 expiring products; the daily scan is timed on a
# normal day: yesterday's scan already ran, then a day passes (every expiry date moves one day
# closer), as in production.
import json
import time

N_PRODUCTS = 1000
LOTS_PER_PRODUCT = 100

cr = env.cr  # env: provided by odoo shell
company = env.company
stock = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1).lot_stock_id
products = env["product.product"].create(
    [
        {"name": f"Bench drug {i:04d}", "is_storable": True, "tracking": "lot", "use_expiration_date": True}
        for i in range(N_PRODUCTS)
    ]
)
env.flush_all()
started = time.time()
# Set-based data: lots expiring in 2..1000 days, one quant of 10 units each in WH/Stock.
cr.execute(
    """
    INSERT INTO stock_lot (name, product_id, company_id, expiration_date, use_date, removal_date, alert_date,
                           expiry_state, is_quarantined, near_expiry_notified,
                           create_uid, write_uid, create_date, write_date)
    SELECT 'BENCH-' || p.id || '-' || s.n, p.id, %(company)s,
           now() + make_interval(days => 2 + (p.id * 7 + s.n * 13) %% 999),
           now() + make_interval(days => 2 + (p.id * 7 + s.n * 13) %% 999),
           now() + make_interval(days => 2 + (p.id * 7 + s.n * 13) %% 999),
           now() + make_interval(days => 2 + (p.id * 7 + s.n * 13) %% 999),
           NULL, false, false, 1, 1, now(), now()
      FROM product_product p CROSS JOIN generate_series(1, %(lots)s) AS s(n)
     WHERE p.id = ANY(%(products)s)
    """,
    {"company": company.id, "lots": LOTS_PER_PRODUCT, "products": products.ids},
)
cr.execute(
    """
    INSERT INTO stock_quant (product_id, location_id, lot_id, quantity, reserved_quantity, in_date,
                             company_id, expiration_date, removal_date,
                             create_uid, write_uid, create_date, write_date)
    SELECT lot.product_id, %(stock)s, lot.id, 10, 0, now(), %(company)s, lot.expiration_date,
           lot.removal_date, 1, 1, now(), now()
      FROM stock_lot lot WHERE lot.name LIKE 'BENCH-%%'
    """,
    {"stock": stock.id, "company": company.id},
)
cr.execute("ANALYZE stock_lot; ANALYZE stock_quant;")
env.invalidate_all()
setup_seconds = time.time() - started
lots = env["stock.lot"].search_count([("name", "=like", "BENCH-%")])

started = time.time()
env["stock.lot"]._cron_expiry_scan()  # (yesterday's scan: every state set once)
env.flush_all()
first_seconds = time.time() - started

# A day passes.
cr.execute(
    """UPDATE stock_lot SET expiration_date = expiration_date - interval '1 day'
        WHERE name LIKE 'BENCH-%%'"""
)
cr.execute(
    """UPDATE stock_quant q SET expiration_date = l.expiration_date FROM stock_lot l
        WHERE l.id = q.lot_id AND l.name LIKE 'BENCH-%%'"""
)
env.invalidate_all()
started = time.time()
changed = env["stock.lot"]._cron_expiry_scan()
env.flush_all()
daily_seconds = time.time() - started
quarantined = env["stock.lot"].search_count([("name", "=like", "BENCH-%"), ("is_quarantined", "=", True)])
print(
    "BENCH "
    + json.dumps(
        {
            "lots": lots,
            "setup_seconds": round(setup_seconds, 2),
            "first_scan_seconds": round(first_seconds, 2),
            "daily_scan_seconds": round(daily_seconds, 2),
            "lots_changed_today": len(changed),
            "lots_quarantined": quarantined,
        }
    )
)
env.cr.rollback()
