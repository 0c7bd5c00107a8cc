"""Benchmark the validation gate: seconds to validate 1M rows of guidance with its full suite.

Builds a 1,000,000-row guidance batch (unique keys) from hand-made rows, runs the gate once on a small batch
(GX import and context), then times the 1M-row validation (check columns in polars, GX assertions).
Run: uv run python bench/validation.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas.releases import GUIDANCE
from tests.support.sample_frames import GOOD, frame


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    start = time.perf_counter()
    from tasks.quality.validation import GxGate

    gate = GxGate(docs=False)
    small = frame("guidance", GOOD["guidance"])
    gate(GUIDANCE, small)
    print(f"first batch (GX import + context): {time.perf_counter() - start:.2f} s")
    reps = args.rows // small.height + 1
    big = pl.concat([small] * reps).head(args.rows).with_columns(
        pl.int_range(0, args.rows).cast(pl.String).alias("release_id"))
    times = []
    for _ in range(3):
        t = time.perf_counter()
        gate(GUIDANCE, big)
        times.append(time.perf_counter() - t)
    report = gate.results["guidance"]
    print(f"validate {args.rows:,} rows, {len(report.outcomes)} expectations: best {min(times):.2f} s, "
          f"worst {max(times):.2f} s (goal ≤ 1 s); passed {report.passed}/{len(report.outcomes)}")


if __name__ == "__main__":
    main()
