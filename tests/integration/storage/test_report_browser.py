"""The lake's HTML report, generated from the corpus ingest, opened offline in Chromium (Playwright)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.cli import main
from tasks.storage.report import write_report
from tests.support.paths import ARTIFACTS

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.corpus
@pytest.mark.prefect
def test_sql_prints_nvidia_beats(corpus_ingest: dict[str, object], capsys: pytest.CaptureFixture[str]) -> None:
    lake = str(corpus_ingest["lake_dir"])
    assert main(["sql", "--lake", lake, "--query",
                 "select * from beats where ticker='NVDA' order by fiscal_period"]) == 0
    out = capsys.readouterr().out
    assert "FY2025Q4" in out and "39331000000" in out and "37500000000" in out and "1831000000" in out


@pytest.mark.corpus
@pytest.mark.prefect
@pytest.mark.browser
def test_report_opens_offline_with_every_chart(corpus_ingest: dict[str, object]) -> None:
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it with apt)")
    from playwright.sync_api import sync_playwright

    lake = Path(str(corpus_ingest["lake_dir"]))
    where = Path(write_report(str(lake)))
    assert where == lake / "report" / "index.html"
    errors: list[str] = []
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: outside.append(r.url)
                if not r.url.startswith(("file://", "data:", "blob:")) else None)
        page.goto(where.as_uri())
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length > 0")
        charts = page.evaluate("() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(d => "
                               "[d.id, d.querySelectorAll('.main-svg').length, (d.data || []).length])")
        assert charts and all(svgs > 0 and traces > 0 for _, svgs, traces in charts), charts
        nvda = page.evaluate("() => Object.fromEntries(document.getElementById('beats-NVDA').data"
                             ".map(t => [t.name, [t.x, t.y, t.text]]))")
        quarter = nvda["actual"][0].index("FY2025Q4")
        assert round(nvda["actual"][1][quarter], 2) == 39.33 and nvda["guided"][1][quarter] == 37.5
        assert nvda["actual"][2][quarter] == "39.33 (+1.83)"  # the point, labelled with the beat in $B
        assert page.locator("#beats-NVDA text", has_text="39.33 (+1.83)").count() == 1
        series = page.evaluate("() => document.getElementById('capex-hyperscalers').data.map(t => t.name)")
        for ticker in ("MSFT", "GOOGL", "AMZN", "META"):
            assert f"{ticker} quarter" in series and f"{ticker} TTM" in series, series
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator("#NVDA").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "report-nvda.png"))
        page.locator("#hyperscalers").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "report-hyperscalers.png"))
        browser.close()
    assert errors == [] and outside == []
