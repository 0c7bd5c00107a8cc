"""Small frames the tests share: one correct batch per curated dataset (GOOD), and a toy contract (PRICES)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import polars as pl

from schemas.contract import DatasetContract
from schemas.registry import contract_for

D = date.fromisoformat
ACC = "0001234567-25-000010"
URL = "https://www.sec.gov/Archives/edgar/data/1234567/000123456725000010/q4pr.htm"

GOOD: dict[str, list[dict[str, Any]]] = {
    "filings": [{"ticker": "ACME", "cik": "0001234567", "company": "ACME", "accession": ACC, "form": "8-K",
                 "items": ["2.02"], "filed_date": D("2025-02-26"), "filed_year": 2025, "fiscal_year": 2025,
                 "fiscal_period": "FY2025Q4", "source_url": URL, "documents": []}],
    "parse_issues": [{"ticker": "ACME", "accession": ACC, "doc": URL, "stage": "parse", "locator": "table 1",
                      "reason": "no scale"}],
    "guidance": [{"ticker": "ACME", "cik": "0001234567", "release_id": ACC, "accession": ACC, "source_url": URL,
                  "issued_date": D("2025-02-26"), "fiscal_year": 2026, "fiscal_period": "FY2026Q1",
                  "metric": m, "basis": b, "unit": u, "low": lo, "high": hi, "point": p, "qualifier": "plus_minus",
                  "sentence": "Sales should land near $1.20 billion, give or take 2%."}
                 for m, b, u, lo, hi, p in (("gross_margin", "gaap", "percent", 70.1, 71.1, 70.6),
                                            ("revenue", None, "USD", 1.176e9, 1.224e9, 1.2e9))],
    "actuals": [{"ticker": "ACME", "cik": "0001234567", "release_id": ACC, "accession": ACC, "source_url": URL,
                 "fiscal_year": 2025, "fiscal_period": "FY2025Q4", "period_end": D("2025-01-26"), "metric": m,
                 "segment": s, "value": v, "unit": u, "source": "EX-99.1 table 3"}
                for m, s, v, u in (("revenue", None, 1.23e9, "USD"), ("revenue", "Data Center", 1.0e9, "USD"),
                                   ("gross_margin", None, 73.0, "percent"))],
    "guidance_vs_actual": [{"ticker": "ACME", "fiscal_year": 2025, "fiscal_period": "FY2025Q4", "metric": "revenue",
                            "unit": "USD", "guided_low": 1.1e9, "guided_point": 1.2e9, "guided_high": 1.3e9,
                            "actual": 1.23e9, "beat": 3e7, "beat_pct": 2.5, "position": "inside", "beat_streak": 1,
                            "guidance_release": ACC, "actual_release": ACC}],
    "financials_quarterly": [{"ticker": "ACME", "cik": "0001234567", "fiscal_year": 2025, "fiscal_period": "FY2025Q4",
                              "calendar_period": "2024Q4", "period_start": D("2024-10-28"),
                              "period_end": D("2025-01-26"), "metric": "revenue", "concept": "Revenues",
                              "value": 1.23e9, "unit": "USD", "derivation": "fy_minus_9m",
                              "accessions": ["a", "b"], "source": "FY minus 9M"}],
    "segment_revenue": [{"ticker": "ACME", "cik": "0001234567", "fiscal_year": 2025, "fiscal_period": "FY2025Q4",
                         "period_start": D("2024-10-28"), "period_end": D("2025-01-26"), "axis": "srt:ProductOrServiceAxis",
                         "member": "acme:DataCenterMember", "label": "Data Center", "concept": "Revenues",
                         "value": 1.0e9, "unit": "USD", "derivation": "fy_minus_9m", "accessions": ["a", "b"],
                         "total_revenue": 1.23e9, "members_sum": 1.23e9, "sums_to_total": True}],
    "capex": [{"ticker": "ACME", "cik": "0001234567", "fiscal_year": 2025, "fiscal_period": "FY2025Q4",
               "period_start": D("2024-10-28"), "period_end": D("2025-01-26"), "period_type": "quarter",
               "capex": 5e7, "components": [{"metric": "purchases_of_property_and_equipment",
                                             "concept": "PaymentsToAcquireProductiveAssets", "value": 5e7,
                                             "derivation": "fy_minus_9m"}],
               "concepts": ["PaymentsToAcquireProductiveAssets"], "derivation": "fy_minus_9m", "accessions": ["a"]}],
    "news_articles": [{"url": "https://news.example.com/a/1", "canonical_url": "https://news.example.com/a/1",
                       "source": "news.example.com", "feed": "https://news.example.com/rss",
                       "published_at": datetime(2025, 2, 27, 9, 30, tzinfo=UTC), "published_year": 2025,
                       "lang": "en", "title": "A toy maker lifts its outlook", "author": None,
                       "text_sha256": "0" * 64, "paragraphs": 4, "tickers": ["ACME"]}],
}

# dataset → (column, bad value, rule the gate must name)

def frame(name: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    contract = contract_for(name)
    return pl.DataFrame([{c: r.get(c) for c in contract.columns} for r in rows], schema=contract.schema)


PRICES = DatasetContract(
    name="prices",
    version=1,
    columns={"ticker": pl.String(), "fiscal_year": pl.Int32(), "period": pl.String(), "value": pl.Int64(),
             "source_url": pl.String()},
    primary_key=("ticker", "period"),
    partition_by=("ticker", "fiscal_year"),
    lineage=("source_url",),
    description="test dataset",
)


def rows(*items: tuple[str, int, str, int]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"ticker": t, "fiscal_year": y, "period": p, "value": v, "source_url": f"https://x/{p}"}
         for t, y, p, v in items],
        schema=PRICES.schema,
    )


def guidance_row(release: str, metric: str, point: float) -> dict[str, Any]:
    """One point-guidance row of ACME for FY2026Q2, in a release of the given accession."""
    return {"ticker": "ACME", "cik": "0001234567", "release_id": release, "accession": release,
            "source_url": f"https://www.sec.gov/x/{release}.htm", "issued_date": date(2025, 5, 20),
            "fiscal_year": 2026, "fiscal_period": "FY2026Q2", "metric": metric, "unit": "USD", "low": point,
            "high": point, "point": point, "qualifier": "point", "sentence": f"We see {metric} near {point}."}
