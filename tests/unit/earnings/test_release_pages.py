"""Feeds (RSS/Atom) and newsroom release pages: parsing, configuration, listing through the funnel."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from tasks.config import load_settings
from tasks.earnings.release_pages import (
    PageOutcome,
    PageRef,
    ReleaseFeed,
    feed_hosts,
    fetch_page,
    list_release_pages,
    load_release_feeds,
    parse_release_page,
)
from tasks.earnings.releases import guided_period_end
from tasks.errors import ConfigError, ParseError
from tasks.fetch.feeds import parse_feed
from tasks.fetch.http_client import HttpClient
from tasks.fetch.source import Source
from tasks.storage.lake import Lake
from tasks.storage.object_store import LocalStore
from tests.conftest import USER_AGENT
from tests.support.httpserver import RecordingServer

FEED = "https://news.example.com/releases.xml"
RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>ACME news</title>
<item><title>ACME Announces Financial Results for First Quarter Fiscal 2026</title>
  <link>/news/acme-q1-fy2026</link><pubDate>Wed, 28 May 2025 00:00:00 -0700</pubDate></item>
<item><title>ACME Announces Financial Results for First Quarter Fiscal 2026</title>
  <link>https://news.example.com/news/acme-q1-fy2026</link><pubDate>Wed, 28 May 2025 00:00:00 -0700</pubDate></item>
<item><title>ACME opens a new office</title><link>https://news.example.com/news/office</link>
  <pubDate>Tue, 27 May 2025 09:00:00 GMT</pubDate></item>
<item><title>No link here</title></item>
<item><title>ACME Announces Financial Results for Fourth Quarter and Fiscal 2025</title>
  <link>https://elsewhere.example.org/news/acme-q4</link><pubDate>Wed, 26 Feb 2025 00:00:00 -0800</pubDate></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Jiemian</title>
<entry><title>英偉達財報</title><link rel="alternate" href="https://news.example.com/a/1.html"/>
<id>tag:1</id><published>2025-02-28T08:30:00+08:00</published><summary>營收393億美元</summary></entry>
</feed>""".encode()

PAGE = b"""<html><head><title>ACME Announces Financial Results for First Quarter Fiscal 2026</title></head><body>
<p>ACME today reported revenue for the first quarter ended April 27, 2025, of $1.2 billion.</p>
<h3>Outlook</h3>
<p>ACME's outlook for the second quarter of fiscal 2026 is as follows:</p>
<ul><li>Revenue is expected to be $1.50 billion, plus or minus 2%.</li></ul>
<p>ACME CORPORATION AND SUBSIDIARIES</p><p>CONDENSED CONSOLIDATED STATEMENTS OF INCOME</p>
<p>(In millions, except per share data)</p>
<table>
<tr><td></td><td>Three Months Ended</td><td></td></tr>
<tr><td></td><td>April 27, 2025</td><td>April 28, 2024</td></tr>
<tr><td>Revenue</td><td>$ 1,234</td><td>$ 1,000</td></tr>
<tr><td>Cost of revenue</td><td>500</td><td>450</td></tr>
</table></body></html>"""


def test_rss_items_are_absolute_deduplicated_and_itemless_links_reported() -> None:
    feed = parse_feed(RSS, FEED)
    assert [i.link for i in feed.items] == [
        "https://news.example.com/news/acme-q1-fy2026", "https://news.example.com/news/office",
        "https://elsewhere.example.org/news/acme-q4"]
    assert feed.items[0].published is not None and feed.items[0].published.date() == date(2025, 5, 28)
    assert [(p.locator, p.reason) for p in feed.problems] == [("item[3]", "item has no link")]


def test_atom_entries_keep_their_offset() -> None:
    item = parse_feed(ATOM, "https://news.example.com/atom.xml").items[0]
    assert (item.title, item.link, item.guid, item.summary) == (
        "英偉達財報", "https://news.example.com/a/1.html", "tag:1", "營收393億美元")
    assert item.published is not None and item.published.isoformat() == "2025-02-28T08:30:00+08:00"


@pytest.mark.parametrize(("body", "reason"), [
    (b"<rss><channel><item>", "invalid XML"),
    (b"<html><body>not a feed</body></html>", "not an RSS or Atom feed"),
    (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item>'
     b"<title>&x;</title><link>https://news.example.com/x</link></item></channel></rss>", None),
])
def test_bad_feeds_are_parse_errors_naming_the_feed(body: bytes, reason: str | None) -> None:
    if reason is None:  # external entities are never resolved
        feed = parse_feed(body, FEED)
        assert "root:" not in feed.items[0].title
        return
    with pytest.raises(ParseError, match=rf"releases\.xml \[feed\]: {reason}"):
        parse_feed(body, FEED)


def test_release_feeds_configuration(tmp_path: Path) -> None:
    shipped = load_release_feeds()
    assert shipped["NVDA"].feed == "https://nvidianews.nvidia.com/releases.xml"
    assert feed_hosts(shipped) == {"nvidianews.nvidia.com"}
    bad = tmp_path / "pages.yaml"
    bad.write_text("ACME:\n  title: x\n")
    with pytest.raises(ConfigError, match=r"ACME: needs 'feed'"):
        load_release_feeds(bad)
    bad.write_text("ACME:\n  feed: https://x.example.com/f.xml\n  title: '('\n")
    with pytest.raises(ConfigError, match="not a regular expression"):
        load_release_feeds(bad)
    with pytest.raises(ConfigError, match="does not exist"):
        load_release_feeds(tmp_path / "missing.yaml")


def test_release_page_rows_carry_the_page_url_and_no_accession() -> None:
    ref = PageRef("ACME", "0001234567", "0126", "https://news.example.com/news/acme-q1-fy2026", "t",
                  date(2025, 5, 28))
    rows = parse_release_page(PageOutcome(ref, body=PAGE))
    assert not rows.issues
    [guidance] = rows.guidance
    assert (guidance["release_id"], guidance["accession"], guidance["fiscal_period"], guidance["low"],
            guidance["high"]) == (ref.url, None, "FY2026Q2", 1470000000, 1530000000)
    [revenue] = rows.actuals
    assert (revenue["release_id"], revenue["fiscal_period"], revenue["period_end"], revenue["value"]) == (
        ref.url, "FY2026Q1", date(2025, 4, 27), 1234000000)
    assert revenue["source"].startswith("newsroom page table")


def test_listing_fetches_through_the_funnel_and_refuses_other_hosts(server: RecordingServer, tmp_path: Path) -> None:
    server.add(FEED, RSS)
    server.add("https://news.example.com/news/acme-q1-fy2026", PAGE)
    settings = load_settings(sec_user_agent=USER_AGENT, mirror=server.url, lake=str(tmp_path / "lake"))
    lake = Lake(LocalStore(tmp_path / "lake"))
    source = Source(lake, HttpClient(settings, extra_hosts={"news.example.com"}))
    feed = ReleaseFeed("ACME", FEED, re.compile("Financial Results", re.I))
    listing = list_release_pages(source, feed, cik="0001234567", fiscal_year_end="0126", since=date(2025, 1, 1),
                                 until=None)
    assert [(p.url, p.issued) for p in listing.pages] == [
        ("https://news.example.com/news/acme-q1-fy2026", date(2025, 5, 28)),
        ("https://elsewhere.example.org/news/acme-q4", date(2025, 2, 26))]
    fetched = [fetch_page(source, ref) for ref in listing.pages]
    assert fetched[0].body == PAGE and fetched[0].error is None
    assert fetched[1].body is None and "not in the allowlist" in (fetched[1].error or "")
    assert not any("elsewhere" in hit.path for hit in server.hits)
    assert lake.raw_read("https://news.example.com/news/acme-q1-fy2026") is not None
    later = list_release_pages(source, feed, cik="0001234567", fiscal_year_end="0126", since=date(2025, 3, 1),
                               until=None)
    assert [p.issued for p in later.pages] == [date(2025, 5, 28)]


@pytest.mark.parametrize(("period", "reported_end", "fye", "expected"), [
    ("FY2025Q2", date(2025, 3, 31), "1231", date(2025, 6, 30)),  # calendar-year company
    ("FY2025", date(2024, 9, 30), "1231", date(2025, 12, 31)),
    ("FY2025Q3", date(2024, 12, 31), "0630", date(2025, 3, 31)),  # June fiscal year (Microsoft)
    ("FY2026Q2", date(2025, 4, 27), "0131", None),  # 52/53-week year: future ends are not knowable
])
def test_guided_period_end_only_when_knowable(period: str, reported_end: date, fye: str,
                                              expected: date | None) -> None:
    assert guided_period_end(period, reported_end, fye) == expected
