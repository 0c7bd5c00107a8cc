"""Benchmark ``facts-bulk``: a generated companyfacts.zip of SEC's shape, streamed into a local lake.

The generator writes N companies (default 19,000) whose JSON has SEC's layout: many concepts (most not in the
crosswalk), 10-Q three-month and year-to-date facts, 10-K years, comparatives repeated in the next year's
filings, a few 52/53-week filers and some proxy-statement facts. It prints wall time, companies/s, peak RSS
of the parent and of the worker processes, and NVIDIA's real 4 MB companyfacts parse + derive time.
Run: uv run python bench/facts_bulk.py [--companies 19000] [--avg-concepts 35] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.xbrl.facts_bulk import run_facts_bulk
from tasks.xbrl.financials import ALL_CONCEPTS, financials_quarterly
from tasks.xbrl.xbrl_facts import parse_companyfacts

NVDA = Path(__file__).resolve().parents[2] / "shared/corpus/data.sec.gov/api/xbrl/companyfacts/CIK0001045810.json"
CROSSWALK = sorted(ALL_CONCEPTS)


def quarter_ends(year: int, fye_month: int) -> list[date]:
    ends = []
    for k in range(1, 5):
        month = (fye_month + 3 * k - 1) % 12 + 1
        y = year - 1 + (fye_month + 3 * k - 1) // 12
        following = date(y + month // 12, month % 12 + 1, 1)
        ends.append(following - timedelta(days=1))
    return ends


def company(rng: random.Random, cik: int, avg_concepts: int) -> bytes:
    fye_month = rng.choice([12] * 7 + [3, 6, 9, 1])
    first, last = rng.randint(2009, 2022), 2025
    concepts = rng.sample(CROSSWALK, rng.randint(3, 9)) + [
        f"SyntheticConcept{i}" for i in rng.sample(range(2000), max(1, int(rng.expovariate(1 / avg_concepts))))]
    facts: dict[str, dict[str, object]] = {"us-gaap": {}}
    for concept in concepts:
        cash_flow = concept.startswith("Payments") or rng.random() < 0.3
        values = []
        for year in range(first, last + 1):
            ends = quarter_ends(year, fye_month)
            start = ends[-1] - timedelta(days=364)
            base = rng.randint(1, 10_000) * 1_000_000
            for k, end in enumerate(ends, 1):
                for filed_year in (year, year + 1):
                    form = "10-K" if k == 4 else "10-Q"
                    accn = f"{cik:010d}-{filed_year % 100:02d}-{k:06d}"
                    filed = (end + timedelta(days=40 + 365 * (filed_year - year))).isoformat()
                    values.append({"start": start.isoformat(), "end": end.isoformat(), "val": base * k, "accn": accn,
                                   "fy": filed_year, "fp": "FY" if k == 4 else f"Q{k}", "form": form, "filed": filed})
                    if not cash_flow and k in (2, 3):
                        values.append({"start": (ends[k - 2] + timedelta(days=1)).isoformat(), "end": end.isoformat(),
                                       "val": base, "accn": accn, "fy": filed_year, "fp": f"Q{k}", "form": form,
                                       "filed": filed})
            if rng.random() < 0.05:
                values.append({"start": start.isoformat(), "end": ends[-1].isoformat(), "val": base * 4000,
                               "accn": f"{cik:010d}-{year % 100:02d}-999999", "fy": year, "fp": "FY",
                               "form": "DEF 14A", "filed": f"{year + 1}-04-01"})
        facts["us-gaap"][concept] = {"label": concept, "description": "synthetic", "units": {"USD": values}}
    return json.dumps({"cik": cik, "entityName": f"Synthetic Co {cik}", "facts": facts}).encode()


def generate(path: Path, companies: int, avg_concepts: int, seed: int = 7) -> tuple[int, float]:
    rng = random.Random(seed)
    total = 0
    start = time.perf_counter()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for i in range(companies):
            cik = 1_000_000 + i
            body = company(rng, cik, avg_concepts)
            total += len(body)
            archive.writestr(f"CIK{cik:010d}.json", body)
    return total, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--companies", type=int, default=19_000)
    parser.add_argument("--avg-concepts", type=int, default=35)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", help="folder to keep the archive and lake in")
    args = parser.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix="facts-bulk-"))
    root.mkdir(parents=True, exist_ok=True)
    archive = root / "companyfacts.zip"
    if not archive.exists():
        size, took = generate(archive, args.companies, args.avg_concepts)
        print(f"generated:        {args.companies} companies, {size / 1e9:.2f} GB JSON "
              f"({size / args.companies / 1e3:.0f} kB avg), zip {archive.stat().st_size / 1e9:.2f} GB in {took:.0f} s")
    lake = root / "lake"
    start = time.perf_counter()
    summary = run_facts_bulk(str(archive), str(lake), workers=args.workers)
    took = time.perf_counter() - start
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"facts-bulk:       {summary.companies} companies in {took:.1f} s "
          f"({summary.companies / took:.0f}/s), {summary.rows_written} rows, {summary.partitions} partitions, "
          f"{len(summary.failures)} failures, {args.workers} workers")
    print(f"peak RSS:         parent {parent:.0f} MB, largest worker {children:.0f} MB (goal ≤ 2048 MB)")
    if NVDA.exists():
        body = NVDA.read_bytes()
        times = []
        for _ in range(5):
            t = time.perf_counter()
            entity, facts = parse_companyfacts(body, str(NVDA), concepts=ALL_CONCEPTS)
            financials_quarterly(facts, ticker="NVDA", cik=entity["cik"], fiscal_year_end="0131")
            times.append(time.perf_counter() - t)
        print(f"NVIDIA ({len(body) / 1e6:.1f} MB): parse + derive best {min(times):.3f} s, "
              f"worst {max(times):.3f} s (goal ≤ 0.5 s)")


if __name__ == "__main__":
    main()
