"""Outlook coverage on documents nobody labelled: every EX-99 release and newsroom page of ../shared/corpus.

For each company: outlook candidates (statements in an outlook context, or forward-looking ones naming a future
period, that carry a value), the guidance rows they gave, the candidates that gave no row (the parser's
`outlook statement produced no row` parse issues) and their share. Goal: unread ≤ 5 % of candidates overall.
Run: uv run python bench/outlook_coverage.py [--show N] (N: print the text of up to N unread statements)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.releases import CORPUS, releases
from tasks.earnings.guidance import read_guidance


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=0, help="print up to N unread statements")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"corpus not found at {CORPUS}")
    listed = json.loads((CORPUS / "www.sec.gov" / "files" / "company_tickers.json").read_text())
    tickers: dict[str, str] = {}
    for entry in listed.values():  # a company's first ticker (GOOGL before GOOG)
        tickers.setdefault(str(int(entry["cik_str"])), str(entry["ticker"]))
    rows: Counter[str] = Counter()
    read: Counter[str] = Counter()
    unread: Counter[str] = Counter()
    documents: Counter[str] = Counter()
    shown: list[str] = []
    for _name, docs, issued, fye in releases():
        company = tickers.get(docs[0].url.split("/")[6], "?") if "sec.gov" in docs[0].url else docs[0].url.split("/")[2]
        documents[company] += 1
        for doc in docs:  # the guidance of a release comes from its first document that has any
            found, _issues, missed = read_guidance(doc.body, doc=doc.url, issued=issued, fiscal_year_end=fye)
            if found or missed:
                rows[company] += len(found)
                read[company] += len({r["sentence"] for r in found})
                unread[company] += len(missed)
                shown.extend(f"{doc.url}\n    {m.reason}" for m in missed)
                break
    print(f"{'company':<24} {'releases':>8} {'candidates':>10} {'read':>6} {'rows':>6} {'unread':>7} "
          f"{'share':>6}")
    for company in sorted(documents):
        candidates = read[company] + unread[company]
        share = unread[company] / candidates if candidates else 0.0
        print(f"{company:<24} {documents[company]:>8} {candidates:>10} {read[company]:>6} {rows[company]:>6} "
              f"{unread[company]:>7} {share:>6.1%}")
    total_read, total_unread = sum(read.values()), sum(unread.values())
    total = total_read + total_unread
    print(f"{'all':<24} {sum(documents.values()):>8} {total:>10} {total_read:>6} {sum(rows.values()):>6} "
          f"{total_unread:>7} {(total_unread / total if total else 0):>6.1%}  (goal: unread ≤ 5.0%)")
    for line in shown[: args.show]:
        print(line)


if __name__ == "__main__":
    main()
