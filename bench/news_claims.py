"""Benchmark the news checks: how many figures about the covered companies the lake can judge.

Reads the corpus feeds and pages (the Jiemian article in both scripts, NVIDIA's newsroom pages) straight from
``../shared/corpus``, extracts their figures and checks them against a lake built by the README's ingest (pass
``--lake``; without it the ingest is run into a temporary folder against a local mirror of the corpus). Prints the
share of figures about the five companies that are checked (agrees/disagrees), per source and per reason left
unverifiable, the Meta 2025 capex claim's verdict and the time taken. Run: uv run python bench/news_claims.py
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polars as pl

from schemas.financials import FINANCIALS_QUARTERLY, SEGMENT_REVENUE
from schemas.releases import ACTUALS, GUIDANCE, GUIDANCE_VS_ACTUAL
from tasks.fetch.feeds import parse_feed
from tasks.news.articles import parse_article
from tasks.news.claim_checks import Filings
from tasks.news.entities import load_entities
from tasks.news.news_rows import figures_frame
from tasks.news.reading import FetchedArticle, NewsFeed
from tasks.storage.lake import Lake
from tasks.storage.object_store import LocalStore

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FIVE = ["NVDA", "MSFT", "GOOGL", "AMZN", "META"]
# What a company files: its results, outlook and capital returns (not market data, products or others' estimates).
FILED = r"^(?:segment_)?(?:revenue|eps|gross_margin|operating_margin|operating_expenses|operating_income|net_income|" \
        r"other_income_expense|tax_rate|capex|capex_plan|dividend|buyback|guidance_beat)" \
        r"(?:_(?:growth|change)(?:_(?:yoy|qoq))?|_guidance)?$"
FEEDS = [("https://nvidianews.nvidia.com/releases.xml", "en"), ("https://www.jiemian.com/rss/tech.xml", "zh")]


def _local(url: str) -> Path:
    return CORPUS / url.split("://", 1)[1]


def corpus_articles() -> list[FetchedArticle]:
    out = []
    for url, lang in FEEDS:
        feed = parse_feed(_local(url).read_bytes(), url)
        source = NewsFeed(url=url, lang=lang, rate=1.0)
        for item in feed.items:
            page = _local(item.link)
            if page.exists():
                out.append(FetchedArticle(source, item, parse_article(page.read_bytes(), item.link)))
    return out


def build_lake(where: Path) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(CORPUS))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**os.environ, "EARNINGS_LAKE_SEC_USER_AGENT": "earnings-lake bench bench@example.com",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    try:
        subprocess.run(["uv", "run", "earnings-lake", "ingest", *FIVE, "--since", "2023-10-01", "--mirror",
                        f"http://127.0.0.1:{server.server_port}", "--lake", str(where)], env=env, cwd=ROOT,
                       stdout=subprocess.DEVNULL, check=False)
    finally:
        server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lake", help="a lake holding the corpus ingest (default: ingest into a temporary folder)")
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"no corpus at {CORPUS}")
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(args.lake) if args.lake else Path(tmp) / "lake"
        if not args.lake:
            print("ingesting the five companies into a temporary lake ...", flush=True)
            build_lake(where)
        lake = Lake(LocalStore(where))
        filings = Filings(*(lake.read_dataset(c) for c in (GUIDANCE, ACTUALS, GUIDANCE_VS_ACTUAL,
                                                           FINANCIALS_QUARTERLY, SEGMENT_REVENUE)))
        start = time.perf_counter()
        articles = corpus_articles()
        figures = figures_frame(articles, load_entities(), filings)
        took = time.perf_counter() - start
    about = figures.filter(pl.col("ticker").is_in(FIVE))
    checked = about.filter(pl.col("status") != "unverifiable")
    print(f"articles: {len(articles)}, figures: {figures.height}, about the five companies: {about.height}")
    print(f"checked (agrees/disagrees): {checked.height}/{about.height} = {checked.height / max(about.height, 1):.1%}"
          f"  (agrees {about.filter(pl.col('status') == 'agrees').height},"
          f" disagrees {about.filter(pl.col('status') == 'disagrees').height})")
    for source, part in about.group_by("source", maintain_order=True):
        done = part.filter(pl.col("status") != "unverifiable").height
        print(f"  {source[0]}: {done}/{part.height} = {done / part.height:.1%}")
    filed = about.filter(pl.col("metric").str.contains(FILED))
    done = filed.filter(pl.col("status") != "unverifiable").height
    print(f"  of them about what the companies file (results, outlook, capital returns): "
          f"{done}/{filed.height} = {done / max(filed.height, 1):.1%}")
    print("left unverifiable, by reason:")
    left = about.filter(pl.col("status") == "unverifiable")
    for reason, count in Counter(left["reason"].to_list()).most_common():
        print(f"  {count:4d}  {reason}")
    print("filed measures left unverifiable:")
    for row in left.filter(pl.col("metric").str.contains(FILED)).iter_rows(named=True):
        print(f"  {row['metric']:28} {row['period_normalized'] or '-':10} {row['value']:>14,.2f}  {row['reason']}")
    meta = about.filter((pl.col("ticker") == "META") & (pl.col("metric") == "capex_plan"))
    for row in meta.iter_rows(named=True):
        print(f"Meta capex claim {row['value'] / 1e9:.0f}-{(row['value_high'] or row['value']) / 1e9:.0f} $B "
              f"({row['url'].rsplit('/', 1)[-1]}): {row['status']} vs {row['filing_text']}")
    print(f"extraction + checks: {took:.2f} s")


if __name__ == "__main__":
    main()
