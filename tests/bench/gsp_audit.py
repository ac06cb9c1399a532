"""gsp_compliance audit trail (run in `bin/odoo shell` by run_bench.py; the data is rolled back).

1. Overhead: 10,000 audited writes (one `write` call per lot, as users make them: the lot's
   expiration date), timed with the audit trail on (entries queued, chained and inserted at the
   end, as at commit) and off (the lots' audit rule archived), alternately, five rounds each after a
   warm-up round, in one run; the ratio of the medians is reported.
2. `gsp.audit.log.verify_chain()` over 1,000,000 entries (`GSP_BENCH_ENTRIES`), loaded through
   the module's own chained insert.

Prints one line: BENCH {json}.
"""

import json
import os
import statistics
import time
from datetime import timedelta

LOTS = int(os.environ.get("GSP_BENCH_WRITES", "10000"))
ENTRIES = int(os.environ.get("GSP_BENCH_ENTRIES", "1000000"))
ROUNDS = 5

product = env["product.product"].create(
    {"name": "Bench Audited Vials", "is_storable": True, "tracking": "lot"}
)
lots = env["stock.lot"].create(
    [{"name": f"AUD-{i:06d}", "product_id": product.id, "company_id": env.company.id} for i in range(LOTS)]
)
env.flush_all()
Log = env["gsp.audit.log"]
base_date = env.cr.now()


lot_rule = env["gsp.audit.rule"].search([("model_name", "=", "stock.lot")])
assert lot_rule, "the audit rule of lots"


def writes(audit, round_no):
    lot_rule.active = audit  # clears the cached rules
    lots_env = lots
    lots_env.invalidate_recordset()
    date = base_date + timedelta(days=round_no * 2 + (1 if audit else 0))
    started = time.perf_counter()
    for lot in lots_env:
        lot.write({"expiration_date": date})
    env.flush_all()
    Log._flush_pending()  # what the commit does
    return time.perf_counter() - started


Log._flush_pending()  # the lots' creation entries
before = Log.search_count([])
on, off = [], []
writes(False, -1)  # warm-up: the first pass over the lots pays for cold caches
for round_no in range(ROUNDS):
    # Alternate which goes first, so neither always runs on the warmer cache.
    if round_no % 2:
        on.append(writes(True, round_no))
        off.append(writes(False, round_no))
    else:
        off.append(writes(False, round_no))
        on.append(writes(True, round_no))
entries_written = Log.search_count([]) - before
assert entries_written == LOTS * ROUNDS, entries_written
ok, broken = Log.verify_chain()
assert ok, broken

# 1,000,000 entries, chained by the module's insert.
started = time.perf_counter()
batch = 50000
done = 0
while done < ENTRIES:
    size = min(batch, ENTRIES - done)
    Log._insert(
        [
            Log._entry_defaults(
                {
                    "model": "stock.lot",
                    "res_id": lots[(done + i) % LOTS].id,
                    "record_name": f"AUD-{(done + i) % LOTS:06d}",
                    "operation": "write",
                    "changes": [{"field": "expiration_date", "old": "2030-01-01", "new": "2031-01-01"}],
                }
            )
            for i in range(size)
        ]
    )
    done += size
load_seconds = time.perf_counter() - started
total = Log.search_count([])
started = time.perf_counter()
ok, broken = Log.verify_chain()
verify_seconds = time.perf_counter() - started
assert ok, broken

print(
    "BENCH "
    + json.dumps(
        {
            "writes": LOTS,
            "audited_seconds": statistics.median(on),
            "unaudited_seconds": statistics.median(off),
            "ratio": statistics.median(on) / statistics.median(off),
            "entries": total,
            "verify_seconds": verify_seconds,
            "load_seconds": load_seconds,
        }
    )
)
env.cr.rollback()
