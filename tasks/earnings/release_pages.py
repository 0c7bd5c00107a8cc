"""Earnings releases published as newsroom pages (configured feeds): listing, fetching, parsing.

The feeds are configuration (``deployments/release_pages.yaml``), not code. A page is parsed with the same
rules as an 8-K's EX-99.1; its rows carry the page URL as ``release_id`` and no accession.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from tasks.config_files import deployment_file, read_yaml
from tasks.earnings.releases import ReleaseDoc, ReleaseRows, parse_release_documents
from tasks.errors import ConfigError, FetchError, ParseError
from tasks.fetch.feeds import parse_feed
from tasks.fetch.source import Source

DEFAULT_CONFIG = deployment_file("release_pages.yaml")


@dataclass(frozen=True)
class ReleaseFeed:
    ticker: str
    feed: str
    title: re.Pattern[str]


@dataclass(frozen=True)
class PageRef:
    ticker: str
    cik: str
    fiscal_year_end: str
    url: str
    title: str
    issued: date  # the page's date as the feed states it, in the feed's own offset


@dataclass
class PageOutcome:
    ref: PageRef
    body: bytes | None = None
    reused: bool = False
    error: str | None = None


@dataclass
class Listing:
    pages: list[PageRef] = field(default_factory=list)
    problems: list[ParseError] = field(default_factory=list)


def load_release_feeds(path: str | Path | None = None) -> dict[str, ReleaseFeed]:
    """Ticker → feed, from the YAML file; a malformed file is a ConfigError naming the entry."""
    where = Path(path) if path else DEFAULT_CONFIG
    if not where.exists():
        if path:
            raise ConfigError(f"release pages file {where} does not exist")
        return {}
    data = read_yaml(where, "release pages")
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping of ticker → {{feed, title}}")
    feeds = {}
    for ticker, entry in data.items():
        if not isinstance(entry, dict) or not str(entry.get("feed", "")).startswith(("http://", "https://")):
            raise ConfigError(f"{where}: {ticker}: needs 'feed' (an http(s) URL)")
        try:
            title = re.compile(str(entry.get("title", "")), re.I)
        except re.error as exc:
            raise ConfigError(f"{where}: {ticker}: title is not a regular expression: {exc}") from None
        feeds[str(ticker).upper()] = ReleaseFeed(str(ticker).upper(), str(entry["feed"]), title)
    return feeds


def feed_hosts(feeds: dict[str, ReleaseFeed]) -> set[str]:
    return {(urlsplit(f.feed).hostname or "").lower() for f in feeds.values()}


def list_release_pages(
    source: Source, feed: ReleaseFeed, *, cik: str, fiscal_year_end: str, since: date | None, until: date | None
) -> Listing:
    """Release pages of the feed whose title matches, issued in [since, until]."""
    listing = Listing()
    body = source.get(feed.feed)
    parsed = parse_feed(body.data, feed.feed)
    listing.problems.extend(parsed.problems)
    for item in parsed.items:
        if not feed.title.search(item.title):
            continue
        if item.published is None:
            listing.problems.append(ParseError(feed.feed, item.link, "release item has no readable date"))
            continue
        issued = item.published.date()
        if (since and issued < since) or (until and issued > until):
            continue
        listing.pages.append(PageRef(feed.ticker, cik, fiscal_year_end, item.link, item.title, issued))
    return listing


def fetch_page(source: Source, ref: PageRef) -> PageOutcome:
    try:
        body = source.get(ref.url, immutable=True)  # a published release; --force fetches it again
    except FetchError as exc:
        return PageOutcome(ref, error=exc.reason)
    return PageOutcome(ref, body=body.data, reused=body.reused)


def parse_release_page(outcome: PageOutcome) -> ReleaseRows:
    ref = outcome.ref
    if outcome.body is None:
        return ReleaseRows()
    base = {"ticker": ref.ticker, "cik": ref.cik, "accession": None, "release_id": ref.url}
    return parse_release_documents(base, [ReleaseDoc("newsroom page", ref.url, outcome.body)],
                                   issued=ref.issued, fiscal_year_end=ref.fiscal_year_end)
