"""EDGAR: URLs and pure parsers (bytes -> rows) for the ticker map, submissions JSON and filing index pages."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from tasks.dates import in_document, iso_date, timestamp
from tasks.errors import ParseError
from tasks.forms import CURRENT_REPORTS
from tasks.markup import tag_text

TICKERS_URL = "https://www.sec.gov/files/company_tickers.json"


def companyfacts_url(cik: str) -> str:
    return f"https://data.sec.gov/api/xbrl/companyfacts/CIK{int(cik):010d}.json"


def submissions_url(cik: str) -> str:
    return f"https://data.sec.gov/submissions/CIK{int(cik):010d}.json"


def submissions_page_url(name: str) -> str:
    return f"https://data.sec.gov/submissions/{name}"


def filing_folder_url(cik: str, accession: str) -> str:
    return f"https://www.sec.gov/Archives/edgar/data/{int(cik)}/{accession.replace('-', '')}/"


def filing_index_url(cik: str, accession: str) -> str:
    return filing_folder_url(cik, accession) + f"{accession}-index.htm"


@dataclass(frozen=True)
class Company:
    cik: str
    name: str
    fiscal_year_end: str  # MMDD
    tickers: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    seq: str
    description: str
    name: str
    type: str
    size: int | None
    url: str


@dataclass(frozen=True)
class FilingIndex:
    accession: str
    form: str
    filed_date: date | None
    accepted_at: datetime | None
    period_of_report: date | None
    items: tuple[str, ...]
    documents: tuple[Document, ...]


def _json(body: bytes, url: str) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(url, "json", f"not valid JSON: {exc}") from None


def parse_ticker_map(body: bytes, url: str = TICKERS_URL) -> dict[str, tuple[str, str]]:
    """Ticker (upper case) → (10-digit CIK, company title)."""
    data = _json(body, url)
    rows = data.values() if isinstance(data, dict) else data
    out: dict[str, tuple[str, str]] = {}
    try:
        for row in rows:
            out[str(row["ticker"]).upper()] = (f"{int(row['cik_str']):010d}", str(row["title"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ParseError(url, "ticker map", f"unexpected entry shape: {exc}") from None
    return out


def parse_company(body: bytes, url: str) -> tuple[Company, list[dict[str, Any]], list[str]]:
    """Company facts, the recent filings as row dicts, and the names of older pages to fetch."""
    data = _json(body, url)
    try:
        company = Company(
            cik=f"{int(data['cik']):010d}",
            name=str(data.get("name") or ""),
            fiscal_year_end=str(data.get("fiscalYearEnd") or "1231"),
            tickers=tuple(str(t).upper() for t in data.get("tickers") or ()),
        )
        filings = data["filings"]
        rows = filing_rows(filings["recent"], url)
        pages = [str(page["name"]) for page in filings.get("files") or ()]
    except (KeyError, TypeError, ValueError) as exc:
        raise ParseError(url, "submissions", f"unexpected shape: {exc!r}") from None
    return company, rows, pages


def filing_rows(columns: dict[str, list[Any]], url: str) -> list[dict[str, Any]]:
    """Column arrays of a submissions block → one dict per filing."""
    try:
        count = len(columns["accessionNumber"])
    except (KeyError, TypeError):
        raise ParseError(url, "filings", "no accessionNumber array") from None
    names = [name for name, values in columns.items() if isinstance(values, list)]
    if any(len(columns[name]) != count for name in names):
        raise ParseError(url, "filings", "filing arrays have different lengths")
    return [{name: columns[name][i] for name in names} for i in range(count)]


def parse_submissions_page(body: bytes, url: str) -> list[dict[str, Any]]:
    data = _json(body, url)
    if not isinstance(data, dict):
        raise ParseError(url, "submissions page", "not a JSON object")
    return filing_rows(data, url)


def parse_items(value: object) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(item.strip() for item in str(value).split(",") if item.strip())




def parse_filing_index(body: bytes, url: str) -> FilingIndex:
    """EDGAR's ``ACC-index.htm``: header facts and the 'Document Format Files' / 'Data Files' tables."""
    soup = BeautifulSoup(body, "lxml")
    tables = soup.select("table.tableFile")
    if not tables:
        raise ParseError(url, "table.tableFile", "no document table on the filing index page")
    header: dict[str, str] = {}
    for head in soup.select("div.infoHead"):
        info = head.find_next_sibling("div", class_="info")
        if info is not None:
            header[tag_text(head)] = info.get_text("\n", strip=True)
    sec_num = tag_text(soup.select_one("#secNum"))
    accession = sec_num.split()[-1] if sec_num else ""
    form_name = tag_text(soup.select_one("#formName")).removeprefix("Form ").split(" - ")[0].strip()
    documents: list[Document] = []
    for table in tables:
        for row in table.find_all("tr"):
            cells = row.find_all("td")
            if len(cells) < 5:
                continue
            link = cells[2].find("a")
            href = str(link.get("href", "")) if link is not None else ""
            if not href:
                continue
            href = href.removeprefix("/ix?doc=")
            size_text = tag_text(cells[4]).replace(",", "")
            documents.append(
                Document(
                    seq=tag_text(cells[0]),
                    description=tag_text(cells[1]),
                    name=tag_text(link),
                    type=tag_text(cells[3]),
                    size=int(size_text) if size_text.isdigit() else None,
                    url=urljoin(url, href),
                )
            )
    if not documents:
        raise ParseError(url, "table.tableFile", "the document table lists no documents")
    accepted = header.get("Accepted", "")
    items = tuple(
        line.split(":")[0].removeprefix("Item").strip()
        for line in header.get("Items", "").splitlines()
        if line.strip().startswith("Item")
    )
    return FilingIndex(
        accession=accession,
        form=form_name,
        filed_date=in_document(iso_date, header.get("Filing Date"), url, "Filing Date"),
        accepted_at=in_document(timestamp, accepted, url, "Accepted"),
        period_of_report=in_document(iso_date, header.get("Period of Report"), url, "Period of Report"),
        items=items,
        documents=tuple(documents),
    )


RELEASE_EXHIBIT = re.compile(r"^EX-99(?:\.0?([12]))?$", re.I)


def release_exhibit(doc_type: str) -> str | None:
    """'EX-99', 'EX-99.1' or 'EX-99.2' for an exhibit that can hold an earnings release ('EX-99.01' → 'EX-99.1')."""
    match = RELEASE_EXHIBIT.match(doc_type.strip())
    if match is None:
        return None
    return f"EX-99.{match.group(1)}" if match.group(1) else "EX-99"


def documents_to_fetch(form: str, primary_document: str, index: FilingIndex) -> list[Document]:
    """The primary document, plus EX-99 / EX-99.1 / EX-99.2 for 8-Ks (the earnings release and its commentary)."""
    chosen = []
    for doc in index.documents:
        primary = doc.name == primary_document or (doc.seq == "1" and not primary_document)
        if primary or (form in CURRENT_REPORTS and release_exhibit(doc.type)):
            chosen.append(doc)
    return chosen
