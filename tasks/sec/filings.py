"""Listing a company's filings and fetching their documents (I/O here, parsing in tasks.sec.edgar)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import polars as pl

from schemas.filings import FILINGS
from tasks.dates import in_document, iso_date, timestamp
from tasks.errors import FetchError, ParseError, UnknownTicker
from tasks.fetch.source import Source
from tasks.fiscal import FiscalPeriod, last_quarter_end_before
from tasks.forms import PERIODIC_FORMS, QUARTERLY_REPORTS, is_earnings_release, wanted
from tasks.sec import edgar

log = logging.getLogger("earnings_lake.filings")


@dataclass(frozen=True)
class FilingRef:
    """One filing as listed by the submissions API."""

    ticker: str
    cik: str
    company: str
    fiscal_year_end: str
    accession: str
    form: str
    items: tuple[str, ...]
    filed_date: date
    accepted_at: datetime | None
    report_date: date | None
    primary_document: str
    source_url: str


@dataclass
class DocOutcome:
    doc: edgar.Document
    body: bytes | None = None
    reused: bool = False
    error: str | None = None


@dataclass
class FilingOutcome:
    ref: FilingRef
    index_url: str
    documents: list[DocOutcome] = field(default_factory=list)
    index_error: str | None = None


@dataclass(frozen=True)
class Failure:
    ticker: str
    accession: str
    url: str
    stage: str
    reason: str


def resolve_companies(source: Source, tickers: list[str], unknown: list[str] | None = None) -> list[tuple[str, str]]:
    """(ticker, 10-digit CIK) for tickers or CIKs. Unknown tickers are collected in ``unknown`` and the rest go
    on; when none is known that is an error naming them."""
    unknown = [] if unknown is None else unknown
    needs_map = [t for t in tickers if not (t.isascii() and t.isdigit())]
    mapping: dict[str, tuple[str, str]] = {}
    if needs_map:
        body = source.get(edgar.TICKERS_URL)
        mapping = edgar.parse_ticker_map(body.data, body.url)
    resolved = []
    for given in tickers:
        if given.isascii() and given.isdigit():
            resolved.append((given, f"{int(given):010d}"))
            continue
        ticker = given.upper()
        if ticker not in mapping:
            unknown.append(given)
            continue
        resolved.append((ticker, mapping[ticker][0]))
    if unknown and not resolved:
        raise UnknownTicker(f"unknown ticker{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}: "
                       f"not in {edgar.TICKERS_URL}")
    return resolved


def company_of(source: Source, cik: str) -> edgar.Company:
    url = edgar.submissions_url(cik)
    return edgar.parse_company(source.get(url).data, url)[0]


def _row_date(url: str, row: dict[str, Any], field: str) -> date | None:
    return in_document(iso_date, row.get(field), url, f"{row.get('accessionNumber')}.{field}")


def list_filings(
    source: Source,
    ticker: str,
    cik: str,
    *,
    since: date | None,
    until: date | None,
    forms: tuple[str, ...],
) -> list[FilingRef]:
    """Filings of one company in [since, until] of the wanted forms, newest first."""
    url = edgar.submissions_url(cik)
    body = source.get(url)
    company, rows, pages = edgar.parse_company(body.data, url)
    if ticker.isdigit() and company.tickers:  # a CIK was given: name rows by the company's first ticker
        ticker = company.tickers[0]
    row_sources = [(url, row) for row in rows]
    oldest = min((_row_date(url, r, "filingDate") for r in rows), default=None, key=lambda d: d or date.max)
    if pages and (since is None or (oldest is not None and oldest > since)):
        for name in pages:
            page_url = edgar.submissions_page_url(name)
            page = source.get(page_url)
            row_sources.extend((page_url, row) for row in edgar.parse_submissions_page(page.data, page_url))
    refs: dict[str, FilingRef] = {}
    for doc_url, row in row_sources:
        form = str(row.get("form", ""))
        items = edgar.parse_items(row.get("items"))
        filed = _row_date(doc_url, row, "filingDate")
        if filed is None or not wanted(form, items, forms):
            continue
        if (since and filed < since) or (until and filed > until):
            continue
        accession = str(row["accessionNumber"])
        refs.setdefault(accession, FilingRef(
            ticker=ticker, cik=company.cik, company=company.name, fiscal_year_end=company.fiscal_year_end,
            accession=accession, form=form, items=items, filed_date=filed,
            accepted_at=in_document(timestamp, row.get("acceptanceDateTime"), doc_url,
                                    f"{accession}.acceptanceDateTime"),
            report_date=_row_date(doc_url, row, "reportDate"),
            primary_document=str(row.get("primaryDocument") or ""), source_url=doc_url,
        ))
    return sorted(refs.values(), key=lambda r: (r.filed_date, r.accession), reverse=True)


def fetch_filing(source: Source, ref: FilingRef) -> FilingOutcome:
    """Index page, then the documents the filing's form calls for. Errors are recorded, not raised."""
    index_url = edgar.filing_index_url(ref.cik, ref.accession)
    outcome = FilingOutcome(ref, index_url)
    try:
        page = source.get(index_url)
        index = edgar.parse_filing_index(page.data, index_url)
        docs = edgar.documents_to_fetch(ref.form, ref.primary_document, index)
    except (FetchError, ParseError) as exc:
        outcome.index_error = exc.reason
        folder = edgar.filing_folder_url(ref.cik, ref.accession)
        docs = [edgar.Document("1", ref.form, ref.primary_document, ref.form, None,
                               folder + ref.primary_document)] if ref.primary_document else []
    for doc in docs:
        try:
            body = source.get(doc.url)
        except FetchError as exc:
            outcome.documents.append(DocOutcome(doc, error=exc.reason))
            continue
        outcome.documents.append(DocOutcome(doc, body=body.data, reused=body.reused))
    return outcome


def failures_of(outcome: FilingOutcome) -> list[Failure]:
    ref = outcome.ref
    found = []
    if outcome.index_error:
        found.append(Failure(ref.ticker, ref.accession, outcome.index_url, "fetch", outcome.index_error))
    found.extend(
        Failure(ref.ticker, ref.accession, d.doc.url, "fetch", d.error) for d in outcome.documents if d.error
    )
    return found


def _fiscal(ref: FilingRef) -> tuple[int | None, str | None, str | None]:
    if ref.form in PERIODIC_FORMS and ref.report_date is not None:
        period = (FiscalPeriod.quarter_ending(ref.report_date, ref.fiscal_year_end) if ref.form in QUARTERLY_REPORTS
                  else FiscalPeriod.year_containing(ref.report_date, ref.fiscal_year_end))
        return period.fiscal_year, period.label, "report_date"
    if is_earnings_release(ref.form, ref.items):
        end = last_quarter_end_before(ref.filed_date, ref.fiscal_year_end)
        quarter = FiscalPeriod.quarter_ending(end, ref.fiscal_year_end)
        return quarter.fiscal_year, quarter.label, "last_quarter_before_filing"
    return None, None, None


def filings_frame(outcomes: list[FilingOutcome]) -> pl.DataFrame:
    """The ``filings`` dataset rows for fetched filings."""
    rows: list[dict[str, Any]] = []
    for outcome in outcomes:
        ref = outcome.ref
        fiscal_year, fiscal_period, basis = _fiscal(ref)
        primary = next((d.doc for d in outcome.documents if d.doc.name == ref.primary_document), None)
        folder = edgar.filing_folder_url(ref.cik, ref.accession)
        rows.append({
            "ticker": ref.ticker, "cik": ref.cik, "company": ref.company, "accession": ref.accession,
            "form": ref.form, "items": list(ref.items), "filed_date": ref.filed_date,
            "accepted_at": ref.accepted_at, "report_date": ref.report_date, "filed_year": ref.filed_date.year,
            "fiscal_year": fiscal_year, "fiscal_period": fiscal_period, "fiscal_period_basis": basis,
            "primary_document": ref.primary_document,
            "primary_document_url": primary.url if primary else folder + ref.primary_document,
            "index_url": outcome.index_url,
            "documents": [
                {"seq": d.doc.seq, "type": d.doc.type, "description": d.doc.description, "name": d.doc.name,
                 "url": d.doc.url, "size": d.doc.size, "archived": d.body is not None}
                for d in outcome.documents
            ],
            "source_url": ref.source_url,
        })
    if not rows:
        return FILINGS.empty()
    return pl.DataFrame(rows, schema=FILINGS.schema)
