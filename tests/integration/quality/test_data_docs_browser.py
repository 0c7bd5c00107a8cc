"""Data Docs built into the lake open offline in a headless browser (Debian's chromium via Playwright)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from flows.runtime import Runtime
from flows.steps import publish_dataset, publish_docs
from tasks.config import load_settings
from tasks.fetch.source import Source
from tasks.quality.validation import GxGate
from tasks.storage.lake import Lake
from tasks.storage.object_store import LocalStore
from tests.support.paths import ARTIFACTS
from tests.support.sample_frames import GOOD, frame

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.browser


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    lake = Lake(LocalStore(tmp_path / "lake"))
    rt = Runtime(load_settings(lake=str(tmp_path / "lake")), lake, Source(lake, None), gate=GxGate(docs=True),
                 run_id="run-docs")
    from schemas.registry import contract_for

    assert publish_dataset(rt, contract_for("capex"), frame("capex", GOOD["capex"]))
    bad = frame("guidance", [{**GOOD["guidance"][0], "low": 730.0}])
    assert not publish_dataset(rt, contract_for("guidance"), bad)
    index = publish_docs(rt)
    assert index is not None and index.endswith("/docs/index.html")
    return tmp_path / "lake" / "docs"


def test_data_docs_open_offline(docs: Path, tmp_path: Path) -> None:
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it with apt)")
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page()
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file://", "data:")) else None)
        page.goto((docs / "index.html").as_uri())
        body = page.inner_text("body")
        assert "capex-" in body and "guidance-" in body  # both suites' validation runs are listed
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "data-docs-index.png"), full_page=True)
        link = page.locator("a[href*='validations/guidance']").first
        link.click()
        page.wait_for_load_state()
        detail = page.inner_text("body")
        assert re.search(r"Status:\s*Failed", detail) and re.search(r"Unsuccessful Expectations\s*4", detail)
        # native expectations, read as the rules they are, on the columns (or derived columns) they check
        assert "Values in high must always be greater than or equal to those in low" in detail
        assert re.search(r"low where unit is percent\s+Status\s+Expectation\s+Observed Value\s+values must be greater "
                         r"than or equal to -100\.0 and less than or equal to 100\.0", detail)
        assert "Values for given compound columns must be unique together" in detail
        page.screenshot(path=str(ARTIFACTS / "data-docs-guidance.png"), full_page=True)
        browser.close()
    assert outside == []  # nothing fetched from a CDN
    assert (ARTIFACTS / "data-docs-index.png").stat().st_size > 0
