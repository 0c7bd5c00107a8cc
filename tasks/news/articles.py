"""News article pages → metadata and main text (pure: bytes in, Article out; BeautifulSoup with lxml).

The body is the ``<article>`` (or the element with the most paragraph text) without navigation, asides,
footers, figures' chrome, comments and related-article lists. Metadata come from meta tags, JSON-LD and
``<time>``; the language from markup, else from the share of CJK characters.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from tasks.earnings.release_text import decode_html
from tasks.errors import ParseError
from tasks.fetch.feeds import parse_when
from tasks.markup import squeeze

CHROME = ("nav", "aside", "footer", "script", "style", "noscript", "form", "iframe", "header.site-header")
CHROME_CLASS = re.compile(r"related|comment|share|footer|nav|advert|recommend|reading-now|app-download", re.I)
CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_BODY_CHARS = 80


@dataclass(frozen=True)
class Article:
    url: str
    canonical_url: str
    title: str
    published_at: datetime | None
    author: str | None
    lang: str
    paragraphs: tuple[str, ...]  # headings included, in order

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if isinstance(tag, Tag) and tag.get("content"):
            return str(tag["content"]).strip()
    return None


def _json_ld(soup: BeautifulSoup) -> dict[str, object]:
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.get_text())
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and str(item.get("@type", "")).endswith("Article"):
                return item
    return {}


def _language(soup: BeautifulSoup, text: str) -> str:
    html_tag = soup.find("html")
    declared = str(html_tag.get("lang", "")) if isinstance(html_tag, Tag) else ""
    if declared:
        return declared.split("-")[0].lower()
    sample = text[:4000]
    return "zh" if sample and len(CJK.findall(sample)) / len(sample) > 0.2 else "en"


def _body(soup: BeautifulSoup) -> Tag | None:
    article = soup.find("article")
    if isinstance(article, Tag):
        return article
    best, score = None, 0
    for candidate in soup.find_all(["main", "div", "section"]):
        length = sum(len(p.get_text(strip=True)) for p in candidate.find_all("p", recursive=False))
        if length > score:
            best, score = candidate, length
    return best


def parse_article(body: bytes, url: str) -> Article:
    """The article of a page; a page without an article body is a ParseError naming the URL."""
    if not body.strip():
        raise ParseError(url, "body", "empty page")
    soup = BeautifulSoup(decode_html(body), "lxml")
    for selector in CHROME:
        for tag in soup.select(selector):
            tag.decompose()
    for tag in soup.find_all(class_=CHROME_CLASS):
        if isinstance(tag, Tag) and tag.name not in ("html", "body", "article", "main"):
            tag.decompose()
    ld = _json_ld(soup)
    canonical = soup.find("link", rel="canonical")
    canonical_url = urljoin(url, str(canonical["href"])) if isinstance(canonical, Tag) and canonical.get("href") \
        else (_meta(soup, "og:url") or url)
    container = _body(soup)
    paragraphs: list[str] = []
    if container is not None:
        for block in container.find_all(["h1", "h2", "h3", "h4", "p", "li", "blockquote", "figcaption"]):
            if block.find(["p", "li"]) is not None:
                continue  # its paragraphs come on their own
            text = squeeze(block.get_text(" "))
            if text and (not paragraphs or paragraphs[-1] != text):
                paragraphs.append(text)
    text = "\n".join(paragraphs)
    if len(text) < MIN_BODY_CHARS:
        raise ParseError(url, "article", f"no article body ({len(text)} characters of text)")
    title = _meta(soup, "og:title") or str(ld.get("headline") or "") or (soup.title.get_text(strip=True)
                                                                         if soup.title else "")
    time_tag = soup.find("time")
    when = _meta(soup, "article:published_time", "datePublished", "pubdate") or str(ld.get("datePublished") or "") \
        or (str(time_tag.get("datetime", "")) if isinstance(time_tag, Tag) else "")
    author = _meta(soup, "article:author", "author") or _ld_author(ld)
    return Article(url=url, canonical_url=canonical_url, title=squeeze(title), published_at=parse_when(when),
                   author=author, lang=_language(soup, text), paragraphs=tuple(paragraphs))


def _ld_author(ld: dict[str, object]) -> str | None:
    author = ld.get("author")
    if isinstance(author, dict):
        return str(author.get("name") or "") or None
    if isinstance(author, list) and author and isinstance(author[0], dict):
        return str(author[0].get("name") or "") or None
    return str(author) if isinstance(author, str) and author else None
