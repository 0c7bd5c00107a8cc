"""Benchmark the validation gate: seconds to validate 1M rows of guidance with its full suite.

Builds a 1,000,000-row guidance batch from hand-made rows with a real lake's cardinalities (5,000 companies,
a release and a sentence per 2 rows, unique keys), runs the gate once on a small batch (GX import and context),
then times the 1M-row validation: derived columns in polars, the native expectations in GX's pandas engine.
Run: uv run python bench/validation.py [--rows 1000000] [--all]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas.registry import contract_for
from schemas.releases import GUIDANCE
from tests.support.sample_frames import GOOD, frame


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--all", action="store_true", help="also time every other curated dataset (unique tickers)")
    args = parser.parse_args()
    start = time.perf_counter()
    from tasks.quality.validation import GxGate

    gate = GxGate(docs=False)
    small = frame("guidance", GOOD["guidance"])
    gate(GUIDANCE, small)
    print(f"first batch (GX import + context): {time.perf_counter() - start:.2f} s")
    reps = args.rows // small.height + 1
    row = pl.int_range(0, args.rows)
    big = pl.concat([small] * reps).head(args.rows).rechunk().with_columns(  # cardinalities as in a real lake
        pl.format("T{}", (row // 10) % 5000).alias("ticker"),  # 5,000 companies
        pl.format("0001234567-25-{}", row // 2).alias("release_id"),  # a release per 2 rows (unique keys)
        pl.format("https://www.sec.gov/Archives/edgar/data/1/{}/ex99.htm", row // 2).alias("source_url"),
        pl.format("{} (sentence {})", pl.col("sentence"), row // 2).alias("sentence"))  # one per release
    times = []
    for _ in range(3):
        t = time.perf_counter()
        gate(GUIDANCE, big)
        times.append(time.perf_counter() - t)
    report = gate.results["guidance"]
    natives = len(report.result_json["results"])
    print(f"validate {args.rows:,} rows, {len(report.outcomes)} rules as {natives} native expectations: "
          f"best {min(times):.2f} s, worst {max(times):.2f} s (goal ≤ 1.5 s); rules passed "
          f"{report.passed}/{len(report.outcomes)}")
    for name in sorted(GOOD) if args.all else []:
        if name == "guidance":
            continue
        contract, rows = contract_for(name), frame(name, GOOD[name])
        gate(contract, rows)
        n = pl.int_range(0, args.rows)
        unique_key = (pl.format("T{}", n).alias("ticker") if "ticker" in contract.primary_key
                      else pl.format("{}?n={}", pl.col(contract.primary_key[0]), n).alias(contract.primary_key[0]))
        wide = pl.concat([rows] * (args.rows // rows.height + 1)).head(args.rows).rechunk().with_columns(unique_key)
        t = time.perf_counter()
        gate(contract, wide)
        report = gate.results[name]
        print(f"  {name}: {args.rows:,} rows, {len(report.result_json['results'])} native expectations: "
              f"{time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
