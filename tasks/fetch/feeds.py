"""RSS 2.0 and Atom feeds → items (pure: bytes in, items out; hardened XML parsing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree

from tasks.dates import timestamp
from tasks.errors import NotADate, ParseError
from tasks.markup import element_text, parse_xml

ATOM = "{http://www.w3.org/2005/Atom}"
MAX_FEED_BYTES = 20_000_000


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str
    published: datetime | None  # with the offset the feed states
    guid: str
    summary: str


@dataclass
class Feed:
    url: str
    items: list[FeedItem]
    problems: list[ParseError]  # per-item problems (no link, bad date); the other items still count


def parse_when(text: str) -> datetime | None:
    """RFC 822 (RSS) or ISO 8601 (Atom) time; None when absent or unreadable (an item or article without a
    readable date is still read: the date is optional metadata there)."""
    try:
        return timestamp(text)
    except NotADate:
        return None


def parse_feed(body: bytes, url: str) -> Feed:
    """Items of an RSS 2.0 or Atom feed, links made absolute, duplicates (same link) dropped."""
    root = parse_xml(body, url, "feed", max_bytes=MAX_FEED_BYTES, malformed="invalid XML")
    if root.tag == f"{ATOM}feed":
        entries = [(e, f"entry[{i}]") for i, e in enumerate(root.findall(f"{ATOM}entry"))]
    elif root.tag == "rss" or root.tag.endswith("RDF"):
        entries = [(e, f"item[{i}]") for i, e in enumerate(root.iter("item"))]
    else:
        raise ParseError(url, "feed", f"not an RSS or Atom feed (root element {root.tag!r})")
    feed = Feed(url, [], [])
    seen: set[str] = set()
    for entry, locator in entries:
        item = _item(entry, url)
        if item is None:
            feed.problems.append(ParseError(url, locator, "item has no link"))
            continue
        if item.link in seen:
            continue
        seen.add(item.link)
        feed.items.append(item)
    return feed


def _item(entry: etree._Element, feed_url: str) -> FeedItem | None:
    if entry.tag == f"{ATOM}entry":
        links = entry.findall(f"{ATOM}link")
        href = next((ln.get("href", "") for ln in links if ln.get("rel", "alternate") == "alternate"), "")
        title = element_text(entry.find(f"{ATOM}title"))
        when = element_text(entry.find(f"{ATOM}published")) or element_text(entry.find(f"{ATOM}updated"))
        guid = element_text(entry.find(f"{ATOM}id"))
        summary = element_text(entry.find(f"{ATOM}summary"))
    else:
        href = element_text(entry.find("link"))
        title = element_text(entry.find("title"))
        when = element_text(entry.find("pubDate"))
        guid = element_text(entry.find("guid"))
        summary = element_text(entry.find("description"))
    if not href.strip():
        return None
    link = urljoin(feed_url, href.strip())
    return FeedItem(title=title, link=link, published=parse_when(when), guid=guid or link, summary=summary)
