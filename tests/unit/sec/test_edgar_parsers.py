from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from tasks.errors import ParseError
from tasks.fiscal import FiscalPeriod, calendar_label, fiscal_quarter_of, last_quarter_end_before
from tasks.forms import DEFAULT_FORMS, wanted
from tasks.sec import edgar
from tests.support import fakeedgar


def test_ticker_map() -> None:
    body = json.dumps({"0": {"cik_str": 1045810, "ticker": "nvda", "title": "NVIDIA CORP"}}).encode()
    assert edgar.parse_ticker_map(body) == {"NVDA": ("0001045810", "NVIDIA CORP")}
    with pytest.raises(ParseError, match=r"company_tickers\.json \[json\]: not valid JSON"):
        edgar.parse_ticker_map(b"<html>")


def test_submissions_and_filters() -> None:
    body = json.dumps(fakeedgar.submissions()).encode()
    company, rows, pages = edgar.parse_company(body, "u")
    assert (company.cik, company.fiscal_year_end, company.tickers, pages) == ("0001234567", "0131", ("ACME",), [])
    earnings = [r["accessionNumber"] for r in rows
                if wanted(r["form"], edgar.parse_items(r["items"]), DEFAULT_FORMS)]
    assert "0001234567-25-000020" not in earnings and "0001234567-25-000011" in earnings


def test_submissions_with_ragged_arrays_is_a_parse_error() -> None:
    data = fakeedgar.submissions()
    data["filings"]["recent"]["form"].pop()  # type: ignore[index]
    with pytest.raises(ParseError, match="different lengths"):
        edgar.parse_company(json.dumps(data).encode(), "https://data.sec.gov/submissions/CIK0001234567.json")


def test_filing_index_page() -> None:
    filing = fakeedgar.FILINGS[0]
    url = filing.folder + f"{filing.accession}-index.htm"
    index = edgar.parse_filing_index(fakeedgar.index_page(filing).encode(), url)
    assert index.accession == filing.accession and index.form == "8-K"
    assert index.items == ("2.02", "9.01") and index.filed_date == date(2025, 2, 26)
    assert index.accepted_at == datetime(2025, 2, 26, 16, 21, 32, tzinfo=UTC)  # as written, no zone: UTC like submissions JSON
    assert [(d.type, d.size) for d in index.documents] == [("8-K", 1234), ("EX-99.1", 1234), ("EX-99.2", 1234)]
    assert index.documents[0].url == filing.folder + filing.primary  # the /ix?doc= viewer prefix is dropped
    chosen = edgar.documents_to_fetch("8-K", filing.primary, index)
    assert [d.name for d in chosen] == [filing.primary, "q4pr.htm", "q4cfo.htm"]
    with pytest.raises(ParseError, match="no document table"):
        edgar.parse_filing_index(b"<html><body>maintenance</body></html>", url)


@pytest.mark.parametrize(
    ("end", "fye", "label"),
    [
        (date(2025, 1, 26), "0131", "FY2025Q4"),  # NVIDIA 52-week year, last Sunday of January
        (date(2025, 4, 27), "0131", "FY2026Q1"),
        (date(2024, 10, 27), "0131", "FY2025Q3"),
        (date(2023, 1, 29), "0131", "FY2023Q4"),
        (date(2024, 12, 31), "0630", "FY2025Q2"),  # Microsoft
        (date(2025, 6, 30), "0630", "FY2025Q4"),
        (date(2025, 3, 31), "1231", "FY2025Q1"),
        (date(2025, 12, 31), "1231", "FY2025Q4"),
        (date(2021, 1, 31), "0131", "FY2021Q4"),  # a 53-week year that ends on the nominal date
    ],
)
def test_fiscal_labels(end: date, fye: str, label: str) -> None:
    assert FiscalPeriod.quarter_ending(end, fye).label == label
    assert FiscalPeriod.parse(label) == FiscalPeriod.quarter_ending(end, fye)


def test_fiscal_year_and_calendar_labels() -> None:
    assert FiscalPeriod.year_containing(date(2025, 1, 26), "0131").label == "FY2025"
    assert fiscal_quarter_of(date(2025, 7, 27), "0131") == (2026, 2)
    assert calendar_label(date(2025, 1, 26)) == "2024Q4"
    assert calendar_label(date(2025, 3, 31)) == "2025Q1"
    # a fiscal year is labelled by the calendar year holding most of its days
    assert calendar_label(date(2025, 1, 26), quarter=False) == "2024"  # February..January
    assert calendar_label(date(2025, 9, 27), quarter=False) == "2025"  # October..September
    assert FiscalPeriod(2025).calendar_label(FiscalPeriod(2025).nominal_end("0630")) == "2024"  # July 2024..June 2025: 184 days in 2024
    assert last_quarter_end_before(date(2025, 2, 26), "0131") == date(2025, 1, 31)
    assert last_quarter_end_before(date(2025, 1, 29), "0630") == date(2024, 12, 31)


def test_fiscal_period_labels_and_arithmetic() -> None:
    assert FiscalPeriod.parse("FY2026Q1") == FiscalPeriod(2026, 1) and FiscalPeriod.parse("FY2025").quarter is None
    assert FiscalPeriod(2026, 1).shifted(-1) == FiscalPeriod(2025, 4)
    assert FiscalPeriod(2025, 3).shifted(6) == FiscalPeriod(2027, 1)
    assert FiscalPeriod(2025).shifted(-1).label == "FY2024"
    assert FiscalPeriod(2026, 2).nominal_end("0131") == date(2025, 7, 31)
    assert FiscalPeriod(2026, 2).calendar_label(date(2025, 7, 27)) == "2025Q2"
    assert sorted([FiscalPeriod(2025, 4), FiscalPeriod(2025, 1)])[0] == FiscalPeriod(2025, 1)
    assert FiscalPeriod.parse_or_none("2025Q1") is None
    assert [q.label for q in FiscalPeriod(2025).quarters()] == ["FY2025Q1", "FY2025Q2", "FY2025Q3", "FY2025Q4"]
    with pytest.raises(ValueError, match="not a fiscal period label: 'FY25Q1'"):
        FiscalPeriod.parse("FY25Q1")
    with pytest.raises(ValueError, match="fiscal quarter 5 is not 1-4"):
        FiscalPeriod(2025, 5)
