"""gsp_compliance audit trail (run in `bin/odoo shell` by run_bench.py, on a throwaway copy of the
template database that run_bench.py drops afterwards: parts 3 to 5 commit).

1. Cost on models the trail does not audit (gsp_compliance overrides `create`, `write` and
   `_write_multi` of every model): 10,000 single-record writes (`GSP_BENCH_WRITES`; one `write`
   per tag, its name, then a flush) on `res.partner.category`, which has no audit rule, median of
   5 rounds after a warm-up. run_bench.py runs this part alone on a database without
   gsp_compliance too (this script does only this part there) and compares the medians. Here it
   is also timed against the same writes with gsp_compliance's three overrides removed from the
   class (alternate rounds, same process).
2. Overhead: 10,000 audited writes (one `write` call per lot, as users make them: the lot's
   expiration date), timed with the audit trail on (entries staged, then HMAC-chained and
   inserted, as at commit) and off (the lots' audit rule archived), in seven pairs of rounds
   after a warm-up round, in one transaction (rolled back). The rounds of a pair run one after
   the other (which goes first alternates), so both see the same load on the machine: the ratio
   reported is the median of the pairs' ratios (the ratio of the medians is shown beside it;
   on a busy machine a round can take twice as long as the one before). Every audited write
   must have made exactly one entry.
3. Concurrent writers: 1 writer, then 8 threads (`GSP_BENCH_WRITERS`), each with its own cursor,
   writing its own slice of the lots (500 writes each, `GSP_BENCH_WRITER_WRITES`) in transactions
   of 50 writes, committed; a serialization failure on the chain's head is retried as Odoo's
   `retrying` does (rollback, random back-off of up to 2^try s; a transaction failing 5 times,
   which Odoo would have reported to the user, is counted and tried again). Entries and writes
   per second are reported, with the retries; then the chain must be linear (no two entries
   share a previous hash) and `verify_chain()` must hold. The lots are committed before part 2,
   whose transaction (holding the chain's head, locked by each insert) is rolled back before
   the writers start, so that its count of entries is not disturbed and nobody waits on it.
4. `verify_chain()` over 1,000,000 entries (`GSP_BENCH_ENTRIES`), loaded through the module's own
   chained insert and committed; the head is then anchored (`_anchor`, written to the data
   directory at commit).
5. The day's check: 20,000 entries more (`GSP_BENCH_DAY_ENTRIES`, a busy day) and
   `verify_chain(incremental=True)` (from the anchor); also the scheduled verification
   (`gsp.audit.verification._run(incremental=True)`, which counts the entries and records its
   verdict), not a target.

`GSP_BENCH_PROFILE=1` prints cProfiles: a round of part 1 with the overrides, a round of part 2
audited and one not, and the full verification.
Prints one line: BENCH {json}.
"""

import cProfile
import json
import os
import pstats
import random
import statistics
import threading
import time
from datetime import timedelta

import psycopg2.errors

import odoo

LOTS = int(os.environ.get("GSP_BENCH_WRITES", "10000"))
ENTRIES = int(os.environ.get("GSP_BENCH_ENTRIES", "1000000"))
DAY_ENTRIES = int(os.environ.get("GSP_BENCH_DAY_ENTRIES", "20000"))
WRITERS = int(os.environ.get("GSP_BENCH_WRITERS", "8"))
WRITER_WRITES = min(int(os.environ.get("GSP_BENCH_WRITER_WRITES", "500")), LOTS // WRITERS)
COMMIT_EVERY = 50
ROUNDS = 5
PAIRS = 7
PROFILE = os.environ.get("GSP_BENCH_PROFILE") == "1"
RETRIED = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.DeadlockDetected,
)
ODOO_TRIES = 5  # odoo.service.model.MAX_TRIES_ON_CONCURRENCY_FAILURE

result = {}
audited_db = "gsp.audit.log" in env


def profiled(label, func):
    if not PROFILE:
        return func()
    profile = cProfile.Profile()
    value = profile.runcall(func)
    print(f"--- profile: {label}")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    return value


# --- 1. Writes on a model without audit rule --------------------------------------------------
if audited_db:
    Rules = env["gsp.audit.rule"].with_context(active_test=False)
    assert not Rules.search([("model_name", "=", "res.partner.category")]), "tags must not be audited"
    from odoo.addons.gsp_compliance.models.base import Base as GspBase

    OVERRIDES = {name: GspBase.__dict__[name] for name in ("create", "write", "_write_multi")}
tags = env["res.partner.category"].create([{"name": f"BENCH-TAG-{i:06d}"} for i in range(LOTS)])
env.flush_all()


def tag_writes(label):
    tags.invalidate_recordset()
    started = time.perf_counter()
    for index, tag in enumerate(tags):
        tag.write({"name": f"BENCH-TAG-{index:06d}-{label}"})
    env.flush_all()
    return time.perf_counter() - started


def tag_writes_without_overrides(label):
    for name in OVERRIDES:
        delattr(GspBase, name)
    try:
        return tag_writes(label)
    finally:
        for name, method in OVERRIDES.items():
            setattr(GspBase, name, method)


tag_writes("warm-up")
with_module, without_overrides = [], []
for round_no in range(ROUNDS):
    if audited_db and round_no % 2:
        without_overrides.append(tag_writes_without_overrides(f"b{round_no}"))
    with_module.append(tag_writes(f"m{round_no}"))
    if audited_db and not round_no % 2:
        without_overrides.append(tag_writes_without_overrides(f"b{round_no}"))
if PROFILE and audited_db:
    profiled("writes on tags, with gsp_compliance's overrides", lambda: tag_writes("p"))
result["unaudited_model_writes"] = LOTS
result["unaudited_model_seconds"] = statistics.median(with_module)
if audited_db:
    result["unaudited_model_bypass_seconds"] = statistics.median(without_overrides)
env.cr.rollback()

if audited_db:
    Log = env["gsp.audit.log"]
    registry = env.registry
    # The database is a fresh copy, but its name is reused by every run: anchors left in the data
    # directory by an earlier run (of a database since dropped) would not match this chain.
    anchor_path = Log._anchor_path()
    if os.path.exists(anchor_path):
        os.remove(anchor_path)

    product = env["product.product"].create(
        {"name": "Bench Audited Vials", "is_storable": True, "tracking": "lot"}
    )
    lots = env["stock.lot"].create(
        [
            {"name": f"AUD-{i:06d}", "product_id": product.id, "company_id": env.company.id}
            for i in range(LOTS)
        ]
    )
    env.flush_all()
    Log._flush_pending()  # the lots' creation entries
    env.cr.commit()  # the writers of part 3 write these lots from their own cursors
    # Expiry dates years ahead, so that no write changes a lot's expiry state (audited too): one
    # entry per write. To the second, as the web client writes them.
    base_date = env.cr.now().replace(microsecond=0) + timedelta(days=1000)

    # --- 2. Audited writes, on and off ---------------------------------------------------------
    lot_rule = env["gsp.audit.rule"].search([("model_name", "=", "stock.lot")])
    assert lot_rule, "the audit rule of lots"

    def writes(audit, round_no):
        lot_rule.active = audit  # clears the cached rules
        lots.invalidate_recordset()
        date = base_date + timedelta(days=round_no * 2 + (1 if audit else 0))
        started = time.perf_counter()
        for lot in lots:
            lot.write({"expiration_date": date})
        env.flush_all()
        Log._flush_pending()  # what the commit does
        return time.perf_counter() - started

    before = Log.search_count([])
    on, off = [], []
    writes(False, -1)  # warm-up: the first pass over the lots pays for cold caches
    for round_no in range(PAIRS):
        # Alternate which goes first, so neither always runs on the warmer cache.
        if round_no % 2:
            on.append(writes(True, round_no))
            off.append(writes(False, round_no))
        else:
            off.append(writes(False, round_no))
            on.append(writes(True, round_no))
    entries_written = Log.search_count([]) - before
    assert entries_written == LOTS * PAIRS, entries_written
    ok, broken = Log.verify_chain()
    assert ok, broken
    if PROFILE:
        profiled("one round not audited", lambda: writes(False, PAIRS))
        profiled("one audited round", lambda: writes(True, PAIRS))
    result.update(
        writes=LOTS,
        pairs=PAIRS,
        audited_seconds=statistics.median(on),
        unaudited_seconds=statistics.median(off),
        ratio=statistics.median(a / b for a, b in zip(on, off, strict=True)),
        ratio_of_medians=statistics.median(on) / statistics.median(off),
        pair_ratios=[round(a / b, 3) for a, b in zip(on, off, strict=True)],
    )
    # Rolled back: the lots and the trail as committed above. This transaction held the head
    # of the chain (locked by each insert) until now.
    env.cr.rollback()
    env.registry.clear_cache()  # the lots' rule as committed (active)

    # --- 3. Concurrent writers -----------------------------------------------------------------
    def writer(lot_ids, date, stats):
        try:
            with registry.cursor() as cr:
                wenv = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                for start in range(0, len(lot_ids), COMMIT_EVERY):
                    chunk = lot_ids[start : start + COMMIT_EVERY]
                    tryno = 0
                    while True:
                        tryno += 1
                        try:
                            for lot in wenv["stock.lot"].browse(chunk):
                                lot.write({"expiration_date": date})
                            cr.commit()  # flush, chain the entries (precommit), commit
                            stats["commits"] += 1
                            break
                        except RETRIED:
                            cr.rollback()
                            wenv.reset()
                            stats["retries"] += 1
                            if tryno == ODOO_TRIES:  # Odoo would have given up here
                                stats["given_up"] += 1
                                tryno = 0
                            wait = random.uniform(0.0, 2 ** max(tryno, 1))
                            stats["waited"] += wait
                            time.sleep(wait)
        except Exception as exc:  # reported by the main thread
            stats["error"] = repr(exc)

    def concurrent(writers, per_writer, days):
        with registry.cursor() as cr:
            cr.execute("SELECT last_id FROM gsp_audit_head WHERE id = 1")
            last_id = cr.fetchone()[0]
        date = base_date + timedelta(days=days)
        stats = [{"commits": 0, "retries": 0, "given_up": 0, "waited": 0.0} for _ in range(writers)]
        threads = [
            threading.Thread(
                target=writer,
                args=(lots.ids[i * per_writer : (i + 1) * per_writer], date, stats[i]),
            )
            for i in range(writers)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        errors = [s["error"] for s in stats if "error" in s]
        assert not errors, errors
        # The chain after them: linear (one entry per previous hash) and verified.
        with registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM gsp_audit_log WHERE id > %s", (last_id,))
            entries = cr.fetchone()[0]
            cr.execute(
                "SELECT count(*) FROM (SELECT prev_hash FROM gsp_audit_log GROUP BY prev_hash"
                " HAVING count(*) > 1) AS forks"
            )
            forks = cr.fetchone()[0]
            ok, broken = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})["gsp.audit.log"].verify_chain()
        writes_done = writers * per_writer
        assert forks == 0, f"{forks} entries share their previous hash with another"
        assert ok, f"verify_chain broken at {broken.id}"
        assert entries >= writes_done, (entries, writes_done)
        return {
            "writers": writers,
            "writes": writes_done,
            "entries": entries,
            "seconds": seconds,
            "writes_per_second": writes_done / seconds,
            "entries_per_second": entries / seconds,
            "commits": sum(s["commits"] for s in stats),
            "retries": sum(s["retries"] for s in stats),
            "given_up": sum(s["given_up"] for s in stats),
            "waited_seconds": sum(s["waited"] for s in stats),
            "forks": forks,
        }

    # The same writes by one writer first, for comparison.
    result["single_writer"] = concurrent(1, WRITERS * WRITER_WRITES, 30)
    result["concurrent"] = concurrent(WRITERS, WRITER_WRITES, 31)

    # --- 4. verify_chain over 1,000,000 entries, chained by the module's insert ----------------
    def load(count):
        batch = 50000
        done = 0
        while done < count:
            size = min(batch, count - done)
            Log._insert(
                [
                    Log._entry_defaults(
                        {
                            "model": "stock.lot",
                            "res_id": lots[(done + i) % LOTS].id,
                            "record_name": f"AUD-{(done + i) % LOTS:06d}",
                            "operation": "write",
                            "changes": [
                                {"field": "expiration_date", "old": "2030-01-01", "new": "2031-01-01"}
                            ],
                        }
                    )
                    for i in range(size)
                ]
            )
            done += size

    started = time.perf_counter()
    load(ENTRIES)
    result["load_seconds"] = time.perf_counter() - started
    env.cr.commit()  # anchoring names committed entries
    result["entries"] = Log.search_count([])
    started = time.perf_counter()
    ok, broken = profiled("verify_chain, full", Log.verify_chain)
    result["verify_seconds"] = time.perf_counter() - started
    assert ok, broken
    Log._anchor()
    env.cr.commit()  # writes the anchor
    assert os.path.exists(anchor_path), "the anchor of the head"

    # --- 5. The day's entries, verified from the anchor ----------------------------------------
    load(DAY_ENTRIES)
    started = time.perf_counter()
    ok, broken = Log.verify_chain(incremental=True)
    result["incremental_seconds"] = time.perf_counter() - started
    assert ok, broken
    result["day_entries"] = DAY_ENTRIES
    started = time.perf_counter()
    verification = env["gsp.audit.verification"]._run(incremental=True)
    result["scheduled_seconds"] = time.perf_counter() - started
    assert verification.ok, verification.summary
    env.cr.rollback()
    os.remove(anchor_path)

print("BENCH " + json.dumps(result))
env.cr.rollback()
