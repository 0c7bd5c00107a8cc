"""Benchmark release parsing: milliseconds per release for parse + normalise (guidance and actuals rows).

Reads the real earnings releases of ../shared/corpus (8-K EX-99/EX-99.1/EX-99.2 of every company, the breadth set
included, and NVIDIA's newsroom pages), parses
each one ``--rounds`` times and prints the median, p90 and worst time per release. Goal: median ≤ 50 ms.
Run: uv run python bench/releases.py
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.earnings.releases import ReleaseDoc, frame, parse_release_documents
from tasks.fetch.feeds import parse_feed
from tasks.forms import is_earnings_release
from tasks.sec import edgar

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def fiscal_year_end(cik: str) -> str:
    """The company's fiscal year end from its archived submissions JSON (fiscalYearEnd)."""
    path = CORPUS / "data.sec.gov" / "submissions" / f"CIK{int(cik):010d}.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    return str(data.get("fiscalYearEnd") or "1231")


def releases() -> list[tuple[str, list[ReleaseDoc], date, str]]:
    """(name, documents, issued, fiscal year end) of every release in the corpus."""
    found = []
    for index in sorted((CORPUS / "www.sec.gov" / "Archives").rglob("*-index.htm")):
        url = f"https://www.sec.gov/{index.relative_to(CORPUS / 'www.sec.gov')}"
        filing = edgar.parse_filing_index(index.read_bytes(), url)
        if not is_earnings_release(filing.form, filing.items) or filing.filed_date is None:
            continue
        docs = []
        for doc in filing.documents:
            path = CORPUS / doc.url.removeprefix("https://")
            kind = edgar.release_exhibit(doc.type)
            if kind and path.exists():
                docs.append(ReleaseDoc(kind, doc.url, path.read_bytes()))
        fye = fiscal_year_end(url.split("/")[6])
        if docs:
            found.append((index.name, sorted(docs), filing.filed_date, fye))
    feed_url = "https://nvidianews.nvidia.com/releases.xml"
    issued = {i.link: i.published.date() for i in parse_feed((CORPUS / feed_url[8:]).read_bytes(), feed_url).items
              if i.published}
    for page in sorted((CORPUS / "nvidianews.nvidia.com" / "news").iterdir()):
        url = f"https://nvidianews.nvidia.com/news/{page.name}"
        found.append((page.name, [ReleaseDoc("newsroom page", url, page.read_bytes())], issued[url],
                      fiscal_year_end("1045810")))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"corpus not found at {CORPUS}")
    items = releases()
    times: list[float] = []
    rows = 0
    for _ in range(args.rounds):
        for _name, docs, issued, fye in items:
            start = time.perf_counter()
            base = {"ticker": "X", "cik": "0000000000", "accession": None, "release_id": docs[0].url}
            result = parse_release_documents(base, docs, issued=issued, fiscal_year_end=fye)
            frame(result.guidance, "guidance")
            frame(result.actuals, "actuals")
            times.append((time.perf_counter() - start) * 1000)
            rows += len(result.guidance) + len(result.actuals)
    size = sum(len(d.body) for _n, docs, _i, _f in items for d in docs) / len(items) / 1024
    print(f"releases:            {len(items)} (avg {size:.0f} KiB of HTML each), {args.rounds} rounds")
    print(f"rows per round:      {rows // args.rounds}")
    print(f"ms per release:      median {statistics.median(times):.1f}, "
          f"p90 {statistics.quantiles(times, n=10)[-1]:.1f}, max {max(times):.1f}  (goal ≤ 50)")


if __name__ == "__main__":
    main()
