"""News: configured feeds → archived article pages → articles and figures (I/O here; parsing elsewhere).

Feeds are configuration (deployments/news_sources.yaml). Every request goes through the HTTP funnel: the
allowlist is the feeds' hosts, each with its politeness rate; robots.txt is honoured (a 404 allows all).
One bad feed, item or page is a per-item failure in the run summary and never stops the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from tasks.config_files import deployment_file, read_yaml
from tasks.errors import ConfigError, EtlError, FetchError, NotFound
from tasks.fetch.feeds import FeedItem, parse_feed
from tasks.fetch.source import Source
from tasks.news.articles import Article, parse_article

DEFAULT_SOURCES = deployment_file("news_sources.yaml")
ROBOTS_AGENT = "earnings-lake"


@dataclass(frozen=True)
class NewsFeed:
    url: str
    lang: str | None = None
    rate: float = 1.0

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()


@dataclass
class FetchedArticle:
    feed: NewsFeed
    item: FeedItem
    article: Article


@dataclass
class NewsHarvest:
    articles: list[FetchedArticle] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (url, stage, reason)


def load_news_sources(path: str | Path | None = None, only: list[str] | None = None) -> list[NewsFeed]:
    """The configured feeds; with ``only`` (``--feed URL``), those feeds instead (known settings kept)."""
    where = Path(path) if path else DEFAULT_SOURCES
    data = read_yaml(where, "news sources")
    feeds = []
    for i, entry in enumerate(data.get("feeds") or []):
        url = str(entry.get("url", "")) if isinstance(entry, dict) else ""
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"{where}: feeds[{i}]: needs 'url' (an http(s) URL)")
        feeds.append(NewsFeed(url, entry.get("lang"), float(entry.get("rate", 1.0))))
    if only:
        known = {f.url: f for f in feeds}
        return [known.get(url, NewsFeed(url)) for url in only]
    return feeds


class Robots:
    """robots.txt per host, fetched once through the funnel; a missing file allows everything."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._parsers: dict[str, RobotFileParser | None] = {}

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        if host not in self._parsers:
            try:
                body = self.source.get(f"{host}/robots.txt").data.decode("utf-8", "replace")
                rules = RobotFileParser()
                rules.parse(body.splitlines())
                self._parsers[host] = rules
            except NotFound:
                self._parsers[host] = None
        found = self._parsers[host]
        return found is None or found.can_fetch(ROBOTS_AGENT, url)


def harvest(source: Source, feeds: list[NewsFeed]) -> NewsHarvest:
    """Every feed's items fetched and parsed; duplicates (canonical URL or same text) are kept once."""
    out = NewsHarvest()
    robots = Robots(source)
    seen_urls: set[str] = set()
    seen_text: set[str] = set()
    for feed in feeds:
        try:
            parsed = parse_feed(source.get(feed.url).data, feed.url)
        except EtlError as exc:
            out.problems.append((exc.document or feed.url, "list", exc.why))
            continue
        out.problems.extend((p.doc, "list", f"{p.locator}: {p.reason}") for p in parsed.problems)
        for item in parsed.items:
            try:
                if not robots.allows(item.link):
                    out.problems.append((item.link, "fetch", "disallowed by robots.txt"))
                    continue
                article = parse_article(source.get(item.link).data, item.link)
            except FetchError as exc:
                out.problems.append((item.link, "fetch", exc.reason))
                continue
            except EtlError as exc:
                out.problems.append((item.link, "parse", exc.why))
                continue
            except Exception as exc:  # an article no rule expected: its own problem, the feed goes on
                out.problems.append((item.link, "parse", f"parser crashed: {type(exc).__name__}: {exc}"[:2000]))
                continue
            if article.canonical_url in seen_urls or article.text_sha256 in seen_text:
                continue
            seen_urls.add(article.canonical_url)
            seen_text.add(article.text_sha256)
            out.articles.append(FetchedArticle(feed, item, article))
    return out
