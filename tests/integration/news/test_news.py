"""News pages and feeds: extraction, encodings, bad input per item, robots.txt, and the corpus article."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from schemas.news import NEWS_ARTICLES, NEWS_FIGURES
from tasks.config import load_settings
from tasks.errors import ConfigError, ParseError
from tasks.fetch.http_client import HttpClient
from tasks.fetch.source import Source
from tasks.news.articles import parse_article
from tasks.news.reading import NewsFeed, harvest, load_news_sources
from tasks.storage.lake import Lake
from tasks.storage.object_store import LocalStore
from tests.conftest import USER_AGENT, expected_rows
from tests.support.httpserver import RecordingServer
from tests.support.news_scoring import score_news

BODY = ("<p>英偉達公布最新一季的業績,營收規模再創新高,市場反應熱烈。</p><p>公司管理層表示,雲端客戶的需求仍然旺盛。</p>"
        "<p>有分析師認為,未來幾個季度的利潤率仍將維持在高位。</p><p>另一方面,遊戲部門的收入則出現小幅回落。</p>")
PAGE = f"""<html lang="zh-Hant"><head><meta charset="{{charset}}"><title>標題|網站</title>
<meta property="og:title" content="英偉達財報"><meta property="article:published_time" content="2025-02-28T08:00:00+08:00">
<meta property="article:author" content="記者"><link rel="canonical" href="/a/1.html"></head><body>
<header class="site-header"><nav><a href="/">首頁</a></nav></header>
<article><h1>英偉達財報</h1>{BODY}<footer>版權</footer></article>
<aside class="related-articles"><li>英偉達再度重挫近9%</li></aside></body></html>"""


@pytest.mark.parametrize("charset", ["utf-8", "gbk", "big5"])
def test_article_metadata_and_main_text_in_any_declared_encoding(charset: str) -> None:
    article = parse_article(PAGE.format(charset=charset).encode(charset), "https://news.example.com/a/1.html?x=1")
    assert (article.canonical_url, article.title, article.author, article.lang) == (
        "https://news.example.com/a/1.html", "英偉達財報", "記者", "zh")
    assert article.published_at is not None and article.published_at.isoformat() == "2025-02-28T08:00:00+08:00"
    assert article.paragraphs[0] == "英偉達財報" and "重挫" not in article.text and "版權" not in article.text


def test_undeclared_encoding_is_detected_and_no_body_is_an_error() -> None:
    page = PAGE.replace('<meta charset="{charset}">', "").format()
    article = parse_article(page.encode("gbk", "replace"), "https://news.example.com/a/2.html")
    assert "英偉達" in article.text
    with pytest.raises(ParseError, match=r"https://news\.example\.com/x \[article\]: no article body"):
        parse_article(b"<html><body><nav>menu</nav></body></html>", "https://news.example.com/x")


def test_news_sources_configuration(tmp_path: Path) -> None:
    shipped = load_news_sources()
    assert [f.url for f in shipped] == ["https://nvidianews.nvidia.com/releases.xml",
                                        "https://www.jiemian.com/rss/tech.xml"]
    assert load_news_sources(only=["https://x.example.com/f.xml"])[0].rate == 1.0
    bad = tmp_path / "news.yaml"
    bad.write_text("feeds:\n  - lang: en\n")
    with pytest.raises(ConfigError, match=r"feeds\[0\]: needs 'url'"):
        load_news_sources(bad)


FEED = "https://news.example.com/rss.xml"
RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>
<item><title>good</title><link>/a/1.html</link><pubDate>Fri, 28 Feb 2025 08:00:00 +0800</pubDate></item>
<item><title>same again</title><link>https://news.example.com/a/1.html</link></item>
<item><title>copy</title><link>https://news.example.com/a/copy.html</link></item>
<item><title>foreign</title><link>https://evil.example.org/a/3.html</link></item>
<item><title>empty</title><link>https://news.example.com/a/empty.html</link></item>
<item><title>private</title><link>https://news.example.com/private/4.html</link></item>
<item><title>no link</title></item>
</channel></rss>"""


def test_harvest_reports_each_bad_item_and_keeps_the_rest(server: RecordingServer, tmp_path: Path) -> None:
    server.add(FEED, RSS)
    server.add("https://news.example.com/a/1.html", PAGE.format(charset="utf-8"))
    server.add("https://news.example.com/a/copy.html", PAGE.format(charset="utf-8"))
    server.add("https://news.example.com/a/empty.html", "<html><body><nav>x</nav></body></html>")
    server.add("https://news.example.com/private/4.html", PAGE.format(charset="utf-8"))
    server.add("https://news.example.com/robots.txt", "User-agent: *\nDisallow: /private/\n")
    server.add("https://broken.example.com/rss.xml", "<rss><channel><item>")
    settings = load_settings(sec_user_agent=USER_AGENT, mirror=server.url)
    lake = Lake(LocalStore(tmp_path / "lake"))
    client = HttpClient(settings, host_rates={"news.example.com": 10.0, "broken.example.com": 10.0})
    found = harvest(Source(lake, client), [NewsFeed(FEED), NewsFeed("https://broken.example.com/rss.xml")])
    assert [a.item.link for a in found.articles] == ["https://news.example.com/a/1.html"]  # copy: same text
    problems = {(url, stage): reason for url, stage, reason in found.problems}
    assert "not in the allowlist" in problems[("https://evil.example.org/a/3.html", "fetch")]
    assert "no article body" in problems[("https://news.example.com/a/empty.html", "parse")]
    assert problems[("https://news.example.com/private/4.html", "fetch")] == "disallowed by robots.txt"
    assert "item has no link" in problems[(FEED, "list")]
    assert "invalid XML" in problems[("https://broken.example.com/rss.xml", "list")]
    assert not any("evil" in h.path or "/private/" in h.path for h in server.hits)


@pytest.mark.corpus
@pytest.mark.prefect
def test_corpus_news_figures_and_claims(corpus_ingest: dict[str, object], corpus_server: RecordingServer,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.news import news

    monkeypatch.setenv("EARNINGS_LAKE_SEC_USER_AGENT", USER_AGENT)
    lake_dir = corpus_ingest["lake_dir"]
    summary = news(feeds=["https://nvidianews.nvidia.com/releases.xml", "https://www.jiemian.com/rss/tech.xml"],
                   lake=str(lake_dir), mirror=corpus_server.url)
    assert summary["datasets_failed"] == {} and summary["documents_failed"] == 0
    # every item of the two feeds: NVIDIA's 15 newsroom earnings pages (fiscal 2023 to Q3 FY2026) and Jiemian's 2
    assert summary["articles_found"] == 17 and summary["documents_fetched"] == 17
    lake = Lake(LocalStore(lake_dir))  # type: ignore[arg-type]
    articles = lake.read_dataset(NEWS_ARTICLES)
    assert articles.height == 17 and set(articles["lang"]) == {"en", "zh"}
    figures = lake.read_dataset(NEWS_FIGURES)
    expected = expected_rows("news_figures.jsonl")
    traditional = figures.filter(pl.col("url").str.ends_with("2025-02-28.html")).sort("seq")
    simplified = figures.filter(pl.col("url").str.ends_with("2025-02-28-zh-hans.html")).sort("seq")
    score = score_news(traditional.to_dicts(), expected)
    print(f"news figures vs expected: {score.report()}")
    # value+unit over every labelled figure; what a found figure is (metric, period, company) over those found
    assert score.share("matched") >= 0.95, score.report()
    assert score.metric / score.matched >= 0.9 and score.period / score.matched >= 0.9, score.report()
    assert score.ticker / score.matched >= 0.95, score.report()
    # The two renditions give the same figures and the same checks (only the quotes differ in script).
    same = [c for c in NEWS_FIGURES.columns if c not in ("url", "quote", "period", "filing_text")]
    assert_frame_equal(traditional.select(same), simplified.select(same))
    # Every row of expected/news_claims_vs_filings.md, as the lake judges it.
    status = {(r["ticker"], r["metric"], r["value"]): (r["status"], r["reason"])
              for r in traditional.iter_rows(named=True)}
    for key, verdict in CLAIMS_TABLE.items():
        assert status[key][0] == verdict, (key, status[key])
    meta = traditional.filter(pl.col("metric") == "capex_plan").filter(pl.col("ticker") == "META").row(0, named=True)
    assert meta["filing_source"] == "0001326801-25-000014"  # the range published before the article, not after
    assert (meta["filing_value"], meta["filing_value_high"]) == (60e9, 65e9)
    wrong = traditional.filter(pl.col("status") == "disagrees").row(0, named=True)
    assert wrong["filing_source"] and wrong["filing_text"] and wrong["difference"] is not None
    left = traditional.filter(pl.col("status") == "unverifiable")
    assert left["reason"].null_count() == 0 and traditional.filter(pl.col("status") != "unverifiable")[
        "reason"].null_count() == traditional.filter(pl.col("status") != "unverifiable").height


# news_claims_vs_filings.md, row by row: (ticker, metric, value) → status in the lake. Rows 9 (Blackwell $11.0 B and its
# share of Data Center) are "agrees" there because a CFO-commentary sentence states them; the lake holds no
# product-line revenue, so they are unverifiable here. Row 5 ("approx.": no quarter was exactly 260 %) and row 11
# (a streak of beats above a threshold) are not judged.
CLAIMS_TABLE = {
    ("NVDA", "revenue", 39.3e9): "agrees",  # 1
    ("NVDA", "revenue_guidance", 37.5e9): "agrees",  # 2
    ("NVDA", "guidance_beat", 1.8e9): "agrees",  # 3
    ("NVDA", "revenue_growth_yoy", 78.0): "agrees",  # 4
    ("NVDA", "revenue_growth_yoy_peak", 260.0): "unverifiable",  # 5
    ("NVDA", "segment_revenue", 35.6e9): "agrees",  # 6
    ("NVDA", "segment_revenue_growth_qoq", 16.0): "agrees",
    ("NVDA", "segment_revenue_growth_yoy", 93.0): "agrees",
    ("NVDA", "segment_revenue", 2.5e9): "agrees",  # 7
    ("NVDA", "segment_revenue_growth_yoy", -11.0): "agrees",
    ("NVDA", "gross_margin", 73.0): "agrees",  # 8
    ("NVDA", "gross_margin_change_yoy", -3.0): "agrees",
    ("NVDA", "product_revenue", 11.0e9): "unverifiable",  # 9 (see above)
    ("NVDA", "share", 33.33): "unverifiable",
    ("NVDA", "gross_margin_guidance", 70.0): "unverifiable",  # 10
    ("NVDA", "guidance_beat_streak", 6.0): "unverifiable",  # 11
    ("NVDA", "guidance_beat", 2.1e9): "agrees",  # 12
    ("NVDA", "guidance_beat", 2.53e9): "disagrees",  # 13
    ("META", "capex_plan", 100e9): "disagrees",  # 14
    ("AMZN", "capex_plan", 100e9): "unverifiable",  # 16
    ("GOOGL", "capex_plan", 75e9): "agrees",  # 15
    ("GOOGL", "capex_plan_estimate", 58.8e9): "unverifiable",
    ("MSFT", "capex_plan", 80e9): "unverifiable",  # 17
    (None, "capex_plan", 215e9): "unverifiable",  # 18
    (None, "capex_plan", 350e9): "unverifiable",
    (None, "capex_plan_growth_yoy", 45.0): "unverifiable",
}
