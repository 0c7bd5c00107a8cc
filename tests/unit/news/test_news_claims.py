"""Claims checked against small curated frames: as-of outlooks, growth rates, years from quarters, XBRL segment
labels, per-share growth across a split, bounds, and the reason when a claim cannot be checked."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from schemas.financials import FINANCIALS_QUARTERLY, SEGMENT_REVENUE
from schemas.releases import ACTUALS, GUIDANCE, GUIDANCE_VS_ACTUAL
from tasks.news.claim_checks import Filings, split_factor
from tasks.news.reconcile import reconcile

FYE = {"ACME": "1231"}


def frame(contract: Any, rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=contract.schema)


def actual(period: str, metric: str, value: float, *, detail: str | None = None, segment: str | None = None,
           release: str = "0000000001-25-000001") -> dict[str, Any]:
    quarter_end = date(int(period[2:6]), 3 * int(period[-1]), 28)
    return {"ticker": "ACME", "fiscal_period": period, "metric": metric, "metric_detail": detail,
            "segment": segment, "value": value, "release_id": release, "accession": release, "period_end": quarter_end,
            "source": f"EX-99.1 table 1, {metric} {period}"}


def outlook(period: str, issued: date, low: float, high: float, release: str) -> dict[str, Any]:
    return {"ticker": "ACME", "fiscal_period": period, "metric": "capex", "issued_date": issued, "low": low,
            "high": high, "point": None, "release_id": release, "accession": release,
            "sentence": f"Capital expenditures of {low / 1e9:.0f} to {high / 1e9:.0f} billion."}


def xbrl(period: str, metric: str, value: float) -> dict[str, Any]:
    return {"ticker": "ACME", "fiscal_period": period, "metric": metric, "value": value,
            "accessions": ["0000000001-25-000009"], "source": f"3M {period} = {value:,.0f}"}


# Acme's quarters end on the 28th of March, June, September and December; articles are of 2026-02-28 unless said.
FILINGS = Filings(
    frame(GUIDANCE, [outlook("FY2025", date(2025, 1, 30), 40e9, 45e9, "0000000001-25-000002"),
                     outlook("FY2025", date(2025, 4, 30), 46e9, 50e9, "0000000001-25-000005")]),
    frame(ACTUALS, [actual("FY2024Q4", "revenue", 80e9), actual("FY2025Q3", "revenue", 90e9),
                    actual("FY2025Q4", "revenue", 100e9), actual("FY2025Q4", "gross_margin", 60.0, detail="gaap"),
                    actual("FY2024Q4", "gross_margin", 62.5, detail="gaap"),
                    actual("FY2025Q4", "eps", 0.50, detail="gaap"), actual("FY2025Q3", "eps", 0.45, detail="gaap"),
                    actual("FY2024Q4", "eps", 4.00, detail="gaap")]),
    frame(GUIDANCE_VS_ACTUAL, []),
    frame(FINANCIALS_QUARTERLY, [xbrl(f"FY2025Q{q}", "revenue", v) for q, v in ((1, 70e9), (2, 80e9))]
          + [xbrl("FY2025Q4", "net_income", 25e9), xbrl("FY2025Q3", "net_income", 22.5e9),
             xbrl("FY2024Q4", "net_income", 20e9)]),
    frame(SEGMENT_REVENUE, [{"ticker": "ACME", "fiscal_period": "FY2025Q4", "axis": "srt:ProductOrServiceAxis",
                             "member": "acme:CloudMember", "label": "Cloud", "concept": "us-gaap:Revenues",
                             "value": 30e9, "derivation": "fy_minus_9m", "accessions": ["0000000001-26-000001"]}]),
)


def claim(metric: str, value: float, period: str | None = "FY2025Q4", **extra: Any) -> dict[str, Any]:
    row = {"url": "https://news.example.com/a", "seq": 0, "entity": "Acme", "ticker": "ACME", "metric": metric,
           "segment": None, "basis": None, "period": period, "period_normalized": period, "value": value,
           "value_high": None, "unit": "USD", "qualifier": None, "quote": "…", "rounding": 1e8,
           "published_date": date(2026, 2, 28), "source": "news.example.com", "published_year": 2026}
    return {**row, **extra}


def checked(row: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = reconcile([row], FILINGS, FYE).row(0, named=True)
    return result


def test_outlook_claims_are_judged_against_what_was_published_by_the_article_date() -> None:
    early = checked(claim("capex_plan", 40e9, "2025", value_high=45e9, qualifier="range",
                          published_date=date(2025, 2, 28)))
    assert (early["status"], early["filing_source"]) == ("agrees", "0000000001-25-000002")
    later = checked(claim("capex_plan", 46e9, "2025", value_high=50e9, qualifier="range",
                          published_date=date(2025, 2, 28)))
    assert later["status"] == "disagrees" and "issued 2025-01-30" in later["filing_text"]
    after_update = checked(claim("capex_plan", 46e9, "2025", value_high=50e9, qualifier="range",
                                 published_date=date(2025, 5, 2)))
    assert (after_update["status"], after_update["filing_source"]) == ("agrees", "0000000001-25-000005")
    too_early = checked(claim("capex_plan", 40e9, "2025", value_high=45e9, qualifier="range",
                              published_date=date(2025, 1, 2)))
    assert too_early["status"] == "unverifiable"
    assert too_early["reason"] == "no capex plan outlook of ACME for FY2025 published by 2025-01-02"


@pytest.mark.parametrize(("metric", "value", "rounding", "status", "filed"), [
    ("revenue_growth_yoy", 25.0, 1.0, "agrees", 25.0),  # 100 vs 80
    ("revenue_growth_qoq", 11.0, 1.0, "agrees", 11.1111),  # 100 vs 90
    ("revenue_growth_qoq", 12.0, 1.0, "disagrees", 11.1111),
    ("gross_margin_change_yoy", -2.5, 0.1, "agrees", -2.5),  # 60.0 vs 62.5 points
])
def test_growth_rates_are_computed_from_the_quarters(metric: str, value: float, rounding: float, status: str,
                                                    filed: float) -> None:
    row = checked(claim(metric, value, unit="percent", rounding=rounding))
    assert (row["status"], round(row["filing_value"], 4)) == (status, filed)
    assert "vs FY20" in row["filing_text"]


def test_a_year_is_the_sum_of_its_quarters_and_segments_come_from_xbrl_labels() -> None:
    year = checked(claim("revenue", 340e9, "FY2025", rounding=1e9))
    assert (year["status"], year["filing_value"]) == ("agrees", 340e9)
    assert year["filing_text"].startswith("sum of the four quarters")
    cloud = checked(claim("segment_revenue", 30e9, segment="Cloud"))
    assert (cloud["status"], cloud["filing_dataset"]) == ("agrees", "segment_revenue")
    assert checked(claim("revenue", 34e9, "FY2024"))["reason"] == "no revenue for ACME FY2024 in the lake"


def test_a_result_of_a_period_not_ended_by_the_article_date_is_never_judged() -> None:
    # the article of 2025-11-02 says 'revenue was $100 billion' and the figure was read as Q4's: the lake has Q4 now,
    # but no article could report it then — a misreading, not a wrong figure
    early = checked(claim("revenue", 100e9, "FY2025Q4", published_date=date(2025, 11, 2)))
    assert (early["status"], early["reason"]) == (
        "unverifiable", "FY2025Q4 of ACME had not ended by the article's date 2025-11-02")
    beat = checked(claim("guidance_beat", 2e9, "FY2025Q4", published_date=date(2025, 11, 2)))
    assert beat["status"] == "unverifiable"
    plan = checked(claim("capex_plan", 46e9, "2025", value_high=50e9, qualifier="range",
                         published_date=date(2025, 5, 2)))
    assert plan["status"] == "agrees"  # an outlook is about a period to come: judged as published by that date


def test_per_share_growth_is_compared_on_one_share_basis() -> None:
    sequential = checked(claim("eps_growth_qoq", 11.0, unit="percent", rounding=1.0))
    assert sequential["status"] == "agrees"  # 0.50 vs 0.45, shares 50 B both quarters
    split = checked(claim("eps_growth_yoy", 25.0, unit="percent", rounding=1.0))
    # shares 5 B a year before, 50 B now: a 10-for-1 split, so 4.00 then is 0.40 now, and 0.50 is 25 % more
    assert split["status"] == "agrees" and "10-for-1 split" in split["filing_text"], split
    wrong = checked(claim("eps_growth_yoy", -87.5, unit="percent", rounding=1.0))  # 0.50 vs 4.00 unadjusted
    assert wrong["status"] == "disagrees"
    level = checked(claim("eps", 0.50, unit="USD", rounding=0.01, basis="gaap"))
    assert level["status"] == "agrees"
    written_post_split = checked(claim("eps", 0.50, unit="USD", rounding=0.01, basis="gaap",
                                       quote="EPS was $0.50 on a post-split basis"))
    assert written_post_split["status"] == "agrees"  # only dividends have a restated row of their own


@pytest.mark.parametrize(("ratio", "factor"), [
    (1.0, 1), (0.93, 1), (1.2, 1),  # buybacks and issuance: the same basis
    (10.03, 10), (3.98, 4), (2.0, 2), (0.2, 0.2),  # 10-for-1, 4-for-1, 2-for-1 splits; a 1-for-5 reverse split
    (1.4, None), (7.5, None), (10.5, None), (0.6, None),  # moved, but by no whole split ratio
])
def test_split_factor_from_share_counts(ratio: float, factor: float | None) -> None:
    assert split_factor(ratio) == factor


@pytest.mark.parametrize(("qualifier", "value", "status"), [
    ("more_than", 95e9, "agrees"), ("more_than", 105e9, "disagrees"),
    ("nearly", 105e9, "agrees"), ("nearly", 130e9, "disagrees"),
])
def test_bounds(qualifier: str, value: float, status: str) -> None:
    assert checked(claim("revenue", value, qualifier=qualifier))["status"] == status


@pytest.mark.parametrize(("row", "reason"), [
    (claim("revenue", 1e9, ticker=None, entity=None), "names no company"),
    (claim("revenue", 1e9, ticker=None, entity="Startup"), "Startup is not a filer covered by the lake"),
    (claim("revenue", 1e9, None), "no period stated"),
    (claim("revenue", 1e9, "2025-02-27"), "period 2025-02-27 is not a fiscal period of ACME"),
    (claim("capex_plan_estimate", 1e9, "2025"), "a forecast by others (market, analysts), not a statement of the "
                                                 "company"),
    (claim("guidance_beat_required", 1e9), "a condition (what would be needed), not a claim of fact"),
    (claim("revenue_growth_yoy_peak", 260.0, None, unit="percent"),
     "a peak over past periods, not the figure of one period"),
    (claim("stock_price_change", -8.0, unit="percent"), "the lake has no stock price change figures"),
    (claim("revenue", 1e9, unit="CNY"), "a figure in CNY; the filings state USD and percentages"),
    (claim("gross_margin", 70.0, "FY2025Q4", unit="percent", qualifier="verbal_mid"),
     "a verbal level (\"mid-70s\"), not an amount"),
    (claim("gross_margin_guidance", 70.0, "FY2026", unit="percent", qualifier="verbal_mid"),
     "no verbal gross margin outlook of ACME for FY2026 published by 2026-02-28"),
    (claim("eps", 2.0, "FY2025", rounding=0.01), "the lake holds quarterly per-share figures only (they do not add "
                                                 "up to a year)"),
])
def test_unverifiable_claims_say_why(row: dict[str, Any], reason: str) -> None:
    result = checked(row)
    assert (result["status"], result["reason"]) == ("unverifiable", reason)


def test_per_share_levels_of_an_earlier_quarter_are_not_judged_across_a_split() -> None:
    latest = checked(claim("eps", 0.50, unit="USD", rounding=0.01, basis="gaap"))
    assert latest["status"] == "agrees"  # the latest quarter before the article: its own basis
    year_ago = checked(claim("eps", 0.40, "FY2024Q4", unit="USD", rounding=0.01, basis="gaap"))
    assert year_ago["status"] == "unverifiable" and "share basis" in year_ago["reason"]  # 4.00 before the split


DIVIDENDS = Filings(
    frame(GUIDANCE, []),
    frame(ACTUALS, [actual("FY2025Q3", "dividend", 0.80), actual("FY2025Q4", "dividend", 1.00),
                    actual("FY2025Q4", "dividend", 0.25, detail="split_adjusted"),
                    actual("FY2025Q4", "eps", 2.00, detail="gaap"), actual("FY2025Q3", "eps", 1.90, detail="gaap")]),
    frame(GUIDANCE_VS_ACTUAL, []),
    frame(FINANCIALS_QUARTERLY, [xbrl("FY2025Q4", "net_income", 20e9), xbrl("FY2025Q3", "net_income", 19e9)]),
)


@pytest.mark.parametrize(("row", "status", "filed"), [
    (claim("dividend", 1.00, rounding=0.01), "agrees", 1.00),
    (claim("dividend", 1.10, rounding=0.01), "disagrees", 1.00),
    # "equal to $0.25 on a post-split basis": the release's restatement, not the amount it declared
    (claim("dividend", 0.25, rounding=0.01, quote="worth $0.25 a share on a post-split basis"), "agrees", 0.25),
    (claim("dividend_growth_qoq", 25.0, unit="percent", rounding=1.0), "agrees", 25.0),  # 1.00 vs 0.80
    (claim("dividend_growth_qoq", 20.0, unit="percent", rounding=1.0), "disagrees", 25.0),
])
def test_dividend_claims_are_checked_against_the_announced_dividend(row: dict[str, Any], status: str,
                                                                    filed: float) -> None:
    result: dict[str, Any] = reconcile([row], DIVIDENDS, FYE).row(0, named=True)
    assert (result["status"], round(result["filing_value"], 4)) == (status, filed), result
    assert result["filing_dataset"] == "actuals"


def verbal(period: str, metric: str, detail: str | None, level: str, issued: date) -> dict[str, Any]:
    return {"ticker": "ACME", "fiscal_period": period, "metric": metric, "metric_detail": detail, "issued_date": issued,
            "low": None, "high": None, "point": None, "qualifier": level, "release_id": f"r-{issued}",
            "accession": f"r-{issued}", "sentence": f"{metric} {level} ({issued})"}


VERBAL = Filings(
    frame(GUIDANCE, [verbal("FY2025", "gross_margin", None, "verbal_high_50s", date(2025, 2, 1)),
                     verbal("FY2025", "gross_margin", None, "verbal_low_60s", date(2025, 8, 1)),
                     verbal("FY2025", "other", "operating_expenses_growth_yoy", "verbal_mid_to_upper_20s",
                            date(2025, 2, 1))]),
    frame(ACTUALS, []), frame(GUIDANCE_VS_ACTUAL, []),
)


@pytest.mark.parametrize(("row", "status", "source"), [
    # the level published by the article's date, not the one published after it
    (claim("gross_margin_guidance", 50.0, "FY2025", unit="percent", qualifier="verbal_high",
           published_date=date(2025, 3, 1)), "agrees", "r-2025-02-01"),
    (claim("gross_margin_guidance", 50.0, "FY2025", unit="percent", qualifier="verbal_high",
           published_date=date(2025, 9, 1)), "disagrees", "r-2025-08-01"),
    # a percent outlook of a measure guided in dollars is its growth rate
    (claim("operating_expenses_guidance", 20.0, "FY2025", unit="percent", qualifier="verbal_mid_to_upper",
           published_date=date(2025, 3, 1)), "agrees", "r-2025-02-01"),
    (claim("operating_expenses_guidance", 20.0, "FY2025", unit="percent", qualifier="verbal_low",
           published_date=date(2025, 3, 1)), "disagrees", "r-2025-02-01"),
])
def test_verbal_outlook_levels_are_compared_as_levels(row: dict[str, Any], status: str, source: str) -> None:
    result: dict[str, Any] = reconcile([row], VERBAL, FYE).row(0, named=True)
    assert (result["status"], result["filing_source"], result["filing_value"]) == (status, source, None), result


def test_a_figure_that_is_another_fact_of_the_company_is_a_misreading_not_a_wrong_figure() -> None:
    # '...revenue rose to $340 billion for the year' read as the fourth quarter: it is the year's total
    year_as_quarter = checked(claim("revenue", 340e9, "FY2025Q4", rounding=1e9))
    assert year_as_quarter["status"] == "unverifiable"
    assert year_as_quarter["reason"].startswith("matches total revenue FY2025 (its four quarters)")
    # 'up 11% from the previous quarter' read as year on year: 100 vs 90 is the sequential rate
    direction = checked(claim("revenue_growth_yoy", 11.0, unit="percent", rounding=1.0))
    assert direction["status"] == "unverifiable" and "revenue growth sequential FY2025Q4" in direction["reason"]
    # a case that did not happen: 'EPS would have been $0.55 without the charge'
    hypothetical = checked(claim("eps", 0.55, basis="gaap", quote="diluted EPS would have been $0.55",
                                 rounding=0.01, unit="USD"))
    assert hypothetical["status"] == "unverifiable" and "conditional" in hypothetical["reason"]
    # a figure that is no fact of the company stays a disagreement
    wrong = checked(claim("revenue", 123e9, "FY2025Q4", rounding=1e9))
    assert wrong["status"] == "disagrees" and wrong["filing_value"] == 100e9
    # and so does one that only equals a fact of another measure (the capex outlook's $40 B): a coincidence
    coincidence = checked(claim("revenue", 40e9, "FY2025Q4", rounding=1e9))
    assert coincidence["status"] == "disagrees"


def test_an_earlier_outlook_range_is_not_a_wrong_plan_and_later_outlooks_do_not_count() -> None:
    # 'raised its 2025 capex plan from $40-45 billion to …' read as the plan: it is the outlook of January
    earlier = checked(claim("capex_plan", 40e9, "2025", value_high=45e9, qualifier="range",
                            published_date=date(2025, 5, 2)))
    assert earlier["status"] == "unverifiable"
    assert earlier["reason"].startswith("matches the capex outlook for FY2025 issued 2025-01-30")
    # an outlook published after the article is no other reading of it: still a disagreement
    unknown_then = checked(claim("capex_plan", 46e9, "2025", value_high=50e9, qualifier="range",
                                 published_date=date(2025, 2, 28)))
    assert unknown_then["status"] == "disagrees"
