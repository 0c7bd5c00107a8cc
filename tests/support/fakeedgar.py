"""A tiny EDGAR written for tests: ticker map, submissions JSON, filing index pages and documents."""

from __future__ import annotations

import json
from dataclasses import dataclass

from tests.support.httpserver import RecordingServer

CIK = "0001234567"
CIK_INT = 1234567


@dataclass(frozen=True)
class FakeFiling:
    accession: str
    form: str
    items: str
    filed: str
    report: str
    primary: str
    exhibits: tuple[tuple[str, str], ...] = ()  # (type, file name)
    present: bool = True  # False: the index page and documents give 404

    @property
    def folder(self) -> str:
        return f"https://www.sec.gov/Archives/edgar/data/{CIK_INT}/{self.accession.replace('-', '')}/"


FILINGS = (
    FakeFiling("0001234567-25-000010", "8-K", "2.02,9.01", "2025-02-26", "2025-02-26", "acme-20250226.htm",
               (("EX-99.1", "q4pr.htm"), ("EX-99.2", "q4cfo.htm"))),
    FakeFiling("0001234567-25-000011", "10-K", "", "2025-02-27", "2025-01-26", "acme-20250126.htm"),
    FakeFiling("0001234567-25-000020", "8-K", "5.02", "2025-03-03", "2025-03-03", "acme-20250303.htm"),
    FakeFiling("0001234567-25-000030", "8-K", "2.02,9.01", "2025-05-28", "2025-05-28", "acme-20250528.htm",
               (("EX-99.1", "q1pr.htm"),), present=False),
    FakeFiling("0001234567-24-000040", "8-K", "2.02,9.01", "2024-11-20", "2024-11-20", "acme-20241120.htm",
               (("EX-99.1", "q3pr.htm"),)),
    FakeFiling("0001234567-23-000050", "8-K", "2.02,9.01", "2023-05-24", "2023-05-24", "acme-20230524.htm",
               (("EX-99.1", "q1fy24pr.htm"),)),
)


# The Q3 FY2025 release: an outlook that parses and an income statement whose scale is not stated.
EXHIBIT_BODIES = {
    "q3pr.htm": (
        "<html><body><p>ACME reported revenue for the third quarter ended October 27, 2024.</p>"
        "<p>Outlook</p><p>ACME's outlook for the fourth quarter of fiscal 2025 is as follows:</p>"
        "<ul><li>Revenue is expected to be $1.20 billion, plus or minus 2%.</li></ul>"
        "<p>Condensed Consolidated Statements of Income</p><table>"
        "<tr><td></td><td>Three Months Ended</td></tr><tr><td></td><td>October 27, 2024</td></tr>"
        "<tr><td>Revenue</td><td>$ 1,150</td></tr></table></body></html>"
    ),
}


def index_page(f: FakeFiling) -> str:
    rows = [("1", f.form, f.primary, f.form)] + [
        (str(i + 2), f"{typ} DOC", name, typ) for i, (typ, name) in enumerate(f.exhibits)
    ]
    base = f"/Archives/edgar/data/{CIK_INT}/{f.accession.replace('-', '')}/"
    body = "".join(
        f'<tr><td scope="row">{seq}</td><td scope="row">{desc}</td>'
        f'<td scope="row"><a href="{"/ix?doc=" if seq == "1" else ""}{base}{name}">{name}</a></td>'
        f'<td scope="row">{typ}</td><td scope="row">1,234</td></tr>'
        for seq, desc, name, typ in rows
    )
    items = "".join(f"Item {i}: text<br />" for i in f.items.split(",") if i)
    return (
        f'<html><body><div id="formName"><strong>Form {f.form}</strong> - Current report:</div>'
        f'<div id="secNum"><strong>SEC Accession No.</strong> {f.accession}</div>'
        f'<div class="formGrouping"><div class="infoHead">Filing Date</div><div class="info">{f.filed}</div>'
        f'<div class="infoHead">Accepted</div><div class="info">{f.filed} 16:21:32</div></div>'
        f'<div class="formGrouping"><div class="infoHead">Period of Report</div><div class="info">{f.report}</div></div>'
        f'<div class="formGrouping"><div class="infoHead">Items</div><div class="info">{items}</div></div>'
        f'<table class="tableFile" summary="Document Format Files"><tr><th>Seq</th><th>Description</th>'
        f"<th>Document</th><th>Type</th><th>Size</th></tr>{body}</table></body></html>"
    )


def submissions(filings: tuple[FakeFiling, ...] = FILINGS) -> dict[str, object]:
    cols = ("accessionNumber", "filingDate", "reportDate", "acceptanceDateTime", "form", "items", "primaryDocument")
    recent: dict[str, list[str]] = {c: [] for c in cols}
    for f in filings:
        for col, value in zip(
            cols, (f.accession, f.filed, f.report, f"{f.filed}T21:21:32.000Z", f.form, f.items, f.primary), strict=True
        ):
            recent[col].append(value)
    return {"cik": CIK_INT, "name": "ACME CORP", "tickers": ["ACME"], "fiscalYearEnd": "0131",
            "filings": {"recent": recent, "files": []}}


def install(server: RecordingServer, filings: tuple[FakeFiling, ...] = FILINGS) -> None:
    server.add("https://www.sec.gov/files/company_tickers.json",
               json.dumps({"0": {"cik_str": CIK_INT, "ticker": "ACME", "title": "ACME CORP"}}))
    server.add(f"https://data.sec.gov/submissions/CIK{CIK}.json", json.dumps(submissions(filings)))
    for f in filings:
        if not f.present:
            continue
        server.add(f.folder + f"{f.accession}-index.htm", index_page(f))
        server.add(f.folder + f.primary, f"<html><body>{f.form} {f.accession}</body></html>")
        for typ, name in f.exhibits:
            server.add(f.folder + name, EXHIBIT_BODIES.get(name, f"<html><body>{typ} of {f.accession}</body></html>"))
