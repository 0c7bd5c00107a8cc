"""``earnings-lake parse FILE_OR_URL``: the guidance and actuals rows of one release, without an ingest."""

from __future__ import annotations

import argparse
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from tasks.errors import ConfigError

FIELDS = {
    "guidance": ("fiscal_period", "metric", "metric_detail", "basis", "unit", "low", "high", "point", "qualifier",
                 "sentence"),
    "actuals": ("fiscal_period", "metric", "metric_detail", "segment", "unit", "value", "source"),
}


def add_parse_command(commands: Any) -> None:
    parse = commands.add_parser("parse", help="print the guidance and actuals rows of one release (file or URL)")
    parse.add_argument("document", metavar="FILE_OR_URL", help="an earnings release (EX-99.1) as a file or a URL")
    parse.add_argument("--ticker", required=True, help="the company's ticker (for the rows)")
    parse.add_argument("--filed", type=date.fromisoformat, help="filing date YYYY-MM-DD (default: today)")
    parse.add_argument("--fiscal-year-end", default="1231", help="MMDD, e.g. 0131 (default 1231)")
    parse.add_argument("--mirror", help="fetch https://HOST/PATH from MIRROR/HOST/PATH")
    parse.add_argument("--user-agent", dest="sec_user_agent", help="SEC User-Agent (for a URL)")
    parse.add_argument("--json", action="store_true", help="print the rows as JSON")


def _body(args: argparse.Namespace) -> tuple[str, bytes]:
    path = Path(args.document)
    if path.is_file():
        return path.resolve().as_uri(), path.read_bytes()
    if not re.match(r"^https?://", args.document):
        raise ConfigError(f"{args.document!r} is neither a file nor an http(s) URL")
    from tasks.config import load_settings
    from tasks.fetch.http_client import HttpClient

    settings = load_settings(mirror=args.mirror, sec_user_agent=args.sec_user_agent)
    return args.document, HttpClient(settings).get(args.document).body


def parse_command(args: argparse.Namespace) -> int:
    from tasks.earnings.releases import ReleaseDoc, parse_release_documents

    if not re.fullmatch(r"(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])", args.fiscal_year_end):
        raise ConfigError(f"--fiscal-year-end must be MMDD, got {args.fiscal_year_end!r}")
    url, body = _body(args)
    base = {"ticker": args.ticker.upper(), "cik": None, "accession": None, "release_id": url}
    result = parse_release_documents(base, [ReleaseDoc("EX-99.1", url, body)], issued=args.filed or date.today(),
                                     fiscal_year_end=args.fiscal_year_end)
    rows = {"guidance": result.guidance, "actuals": result.actuals}
    issues = [{"doc": i.doc, "locator": i.locator, "reason": i.reason} for i in [*result.issues, *result.unread]]
    if args.json:
        print(json.dumps({**rows, "issues": issues}, indent=1, default=_json_value))
        return 0
    for name, found in rows.items():
        print(f"{name}: {len(found)} rows")
        for row in found:
            print("  " + " | ".join("" if row.get(f) is None else _show(row[f]) for f in FIELDS[name]))
    for issue in issues:
        print(f"issue: {issue['doc']} [{issue['locator']}]: {issue['reason']}")
    return 0


def _json_value(value: Any) -> Any:
    """Decimals as JSON numbers (whole numbers as integers), dates as ISO text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


def _show(value: Any) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    text = str(value)
    return text if len(text) <= 140 else text[:137] + "..."
