"""make bench: the performance targets of the issues, measured side by side on this machine.

- batch_expiry daily expiry scan over 100,000 lots with quants: target under 10 s.
- FEFO reservation of a 500-line delivery with batch_expiry: target at most 1.2 x the same
  reservation on a database with only product_expiry, measured in the same run.

Each benchmark runs in `bin/odoo shell` on a throwaway copy of the cached template database
and rolls its data back. Exits non-zero when a target is missed.
"""

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import odoodb

SCAN_TARGET_SECONDS = 10.0
FEFO_TARGET_RATIO = 1.2


def shell(db, script):
    """Run a benchmark script in `bin/odoo shell` on ``db``; return its BENCH result."""
    result = subprocess.run(
        [str(REPO / "bin" / "odoo"), "shell", "-d", db, "--no-http", "--log-level=warn"],
        input=(BENCH / script).read_text(),
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line[len("BENCH ") :])
    sys.exit(f"error: {script} on {db} gave no result:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")


def main():
    prefix = "bench_" + __import__("hashlib").sha256(str(REPO).encode()).hexdigest()[:6]
    template = odoodb.template(["batch_expiry"])
    with_module, without_module = f"{prefix}_batch_expiry", f"{prefix}_product_expiry"
    odoodb.copy(template, without_module)
    odoodb.copy(template, with_module)
    odoodb.log(f"Installing batch_expiry into {with_module}")
    if odoodb.odoo("-d", with_module, "-i", "batch_expiry", "--stop-after-init", "--no-http") != 0:
        sys.exit("error: installing batch_expiry for the benchmark failed")
    try:
        odoodb.log("Daily expiry scan over 100,000 lots (setup takes a minute)")
        scan = shell(with_module, "scan_100k_lots.py")
        odoodb.log("FEFO reservation of a 500-line delivery, with and without batch_expiry")
        fefo_with = shell(with_module, "fefo_500_lines.py")
        fefo_without = shell(without_module, "fefo_500_lines.py")
    finally:
        odoodb.drop(with_module)
        odoodb.drop(without_module)

    ratio = fefo_with["median_seconds"] / fefo_without["median_seconds"]
    rows = [
        (
            f"daily expiry scan, {scan['lots']:,} lots ({scan['lots_changed_today']} changed state)",
            f"{scan['daily_scan_seconds']:.2f} s",
            f"< {SCAN_TARGET_SECONDS:.0f} s",
            scan["daily_scan_seconds"] < SCAN_TARGET_SECONDS,
        ),
        (
            "  first scan (every lot's state set once; not a target)",
            f"{scan['first_scan_seconds']:.2f} s",
            "",
            True,
        ),
        (
            "FEFO reservation, 500 lines, batch_expiry (median of 5)",
            f"{fefo_with['median_seconds']:.3f} s",
            "",
            True,
        ),
        (
            "FEFO reservation, 500 lines, product_expiry only (median of 5)",
            f"{fefo_without['median_seconds']:.3f} s",
            "",
            True,
        ),
        ("  ratio", f"{ratio:.2f} x", f"<= {FEFO_TARGET_RATIO} x", ratio <= FEFO_TARGET_RATIO),
    ]
    print()
    for name, value, target, ok in rows:
        verdict = "" if not target else ("ok" if ok else "MISSED")
        print(f"{name:<70} {value:>10} {target:>9} {verdict}")
    missed = [row for row in rows if not row[3]]
    print(f"\n{len(rows) - len(missed)} passed, {len(missed)} failed")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
