"""Day-to-day operation: the ``backfill``, ``daily-sweep``, ``after-earnings`` and ``refresh-calendar`` flows,
and ``build_deployments`` for ``earnings-lake serve`` (schedules from the watchlist and earnings calendar)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from prefect import flow
from prefect.client.schemas.schedules import CronSchedule, RRuleSchedule
from prefect.states import Failed
from pydantic import BaseModel, Field, StringConstraints, field_validator, model_validator

from flows.ingest import final_state, ingest, summary_of
from flows.news import news
from flows.runners import task_runner
from flows.runtime import build_runtime
from tasks.dates import iso_date
from tasks.forms import is_earnings_release
from tasks.sec.earnings_calendar import load_overrides, load_watchlist, release_acceptances, schedule_for
from tasks.sec.filings import list_filings, resolve_companies

WATERMARKS = "state/watermarks.json"
# A ticker (letters, digits, one class suffix like BRK.B or BF-B) or a CIK: the form refuses anything else.
TICKER_PATTERN = r"^\s*(?:[A-Za-z][A-Za-z0-9]{0,9}(?:[.\-][A-Za-z0-9]{1,3})?|\d{1,10})\s*$"


class BackfillParams(BaseModel):
    """What to (re)load: the Prefect UI renders this as a form and rejects invalid values."""

    tickers: list[Annotated[str, StringConstraints(pattern=TICKER_PATTERN)]] = Field(
        ..., min_length=1, description="Tickers or CIKs, e.g. NVDA, MSFT, BRK.B, 0001045810")
    since: date = Field(..., description="First filing date to load")
    until: date | None = Field(None, description="Last filing date (default: today)")
    force: bool = Field(False, description="Fetch archived documents again and re-parse them")
    news: bool = Field(False, description="Also read the configured news feeds")
    runner: str = Field("threads", description="Task runner: threads, dask (local cluster) or dask://HOST:PORT",
                        pattern=r"^(threads|dask|(dask|tcp)://[\w.\-]+:\d+)$")

    @field_validator("tickers")
    @classmethod
    def _symbols(cls, value: list[str]) -> list[str]:
        cleaned = [t.strip().upper() for t in value if t.strip()]
        bad = [t for t in cleaned if not (t.isdigit() or t.replace(".", "").replace("-", "").isalnum())]
        if bad or not cleaned:
            raise ValueError(f"not tickers or CIKs: {bad or value}")
        return cleaned

    @model_validator(mode="after")
    def _range(self) -> BackfillParams:
        if self.until is not None and self.until < self.since:
            raise ValueError(f"until ({self.until}) is before since ({self.since})")
        return self


@flow(name="backfill")
def backfill(params: BackfillParams, lake: str | None = None, mirror: str | None = None) -> Any:
    """Load the given tickers over a date range (manual runs from the Prefect UI)."""
    runner = task_runner(params.runner)
    flow_ = ingest.with_options(task_runner=runner) if runner is not None else ingest
    summary = summary_of(flow_(tickers=params.tickers, since=params.since, until=params.until, force=params.force,
                               lake=lake, mirror=mirror, return_state=True))
    if params.news:
        summary["news"] = news(lake=lake, mirror=mirror)
    return final_state(summary)  # Failed, naming what failed, when the ingest's documents or datasets did


def _watermarks(rt: Any) -> dict[str, str]:
    blob = rt.lake.store.read(WATERMARKS)
    return json.loads(blob.data) if blob else {}


@flow(name="daily-sweep")
def daily_sweep(
    lake: str | None = None, mirror: str | None = None, default_since: date | None = None,
    tickers: list[str] | None = None, read_news: bool = True,
) -> Any:
    """Every watched ticker (or ``tickers``) since its watermark (the last successful sweep), then the news."""
    rt = build_runtime(lake=lake, mirror=mirror, validate=False)
    marks = _watermarks(rt)
    today = datetime.now(UTC).date()
    results: dict[str, Any] = {}
    for ticker in tickers or load_watchlist():
        since = iso_date(marks.get(ticker)) or default_since or today - timedelta(days=120)
        results[ticker] = summary_of(ingest(tickers=[ticker], since=since, lake=lake, mirror=mirror,
                                            return_state=True))
        if not results[ticker]["datasets_failed"]:
            marks[ticker] = (today - timedelta(days=1)).isoformat()  # re-read yesterday: late filings
    rt.lake.store.put(WATERMARKS, json.dumps(marks, indent=1, sort_keys=True).encode())
    if read_news:
        results["news"] = news(lake=lake, mirror=mirror)
    failed = sorted(t for t, r in results.items() if t != "news" and r["exit_code"])
    if failed:  # not green: automations on Failed see it; each ticker's summary is in the state's data
        return Failed(message=f"tickers with failed documents or datasets: {', '.join(failed)}", data=results)
    return results


@flow(name="after-earnings")
def after_earnings(ticker: str, lake: str | None = None, mirror: str | None = None,
                   window_hours: float = 12.0) -> Any:
    """One short poll of EDGAR's submissions JSON (one request; deployments run it every 10 minutes for 3 hours
    after each expected release): an Item 2.02 8-K accepted within ``window_hours`` that the lake does not hold
    yet is ingested at once; otherwise the run ends. Final states as for ``ingest``."""
    from schemas.filings import FILINGS

    rt = build_runtime(lake=lake, mirror=mirror, validate=False)
    [(symbol, cik)] = resolve_companies(rt.source, [ticker])
    now = datetime.now(UTC)
    since = now - timedelta(hours=window_hours)
    refs = list_filings(rt.source, symbol, cik, since=since.date() - timedelta(days=1), until=None, forms=("8-K",))
    held = set(rt.lake.read_dataset(FILINGS).get_column("accession").to_list())
    fresh = [r for r in refs if is_earnings_release(r.form, r.items) and r.accession not in held
             and (r.accepted_at is None or r.accepted_at >= since)]
    if not fresh:
        return {"ticker": symbol, "found": False, "polled_at": now.isoformat(timespec="seconds")}
    summary = summary_of(ingest(tickers=[symbol], since=min(r.filed_date for r in fresh), lake=lake, mirror=mirror,
                                return_state=True))
    return final_state({**summary, "ticker": symbol, "found": True})


def upcoming_schedules(lake: str | None = None, now: datetime | None = None) -> dict[str, tuple[list[Any], str | None]]:
    """Ticker → (upcoming release predictions, RRULE text) from the lake's filings and the calendar file."""
    from schemas.filings import FILINGS

    rt = build_runtime(offline=True, lake=lake, validate=False)
    filings = rt.lake.read_dataset(FILINGS)
    overrides = load_overrides()
    moment = now or datetime.now(UTC)
    out = {}
    for ticker in load_watchlist():
        rows = filings.filter(filings["ticker"] == ticker).select("form", "items", "accepted_at", "filed_date").rows()
        out[ticker] = schedule_for(ticker, release_acceptances(rows), overrides, moment)
    return out


@flow(name="refresh-calendar")
def refresh_calendar(lake: str | None = None) -> dict[str, list[str]]:
    """Re-predict each watched company's next releases; update the after-earnings deployments' schedules."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    found = upcoming_schedules(lake)
    with get_client(sync_client=True) as client:
        for ticker, (_predictions, rule) in found.items():
            if rule is None:
                continue
            try:
                deployment = client.read_deployment_by_name(f"after-earnings/after-earnings-{ticker.lower()}")
            except ObjectNotFound:  # a ticker whose after-earnings deployment is not served: nothing to update
                continue
            for schedule in deployment.schedules:
                client.update_deployment_schedule(deployment.id, schedule.id, schedule=RRuleSchedule(rrule=rule))
    return {t: [p.at.isoformat() for p in preds] for t, (preds, _r) in found.items()}


def build_deployments(lake: str | None = None, mirror: str | None = None) -> list[Any]:
    """The deployments `earnings-lake serve` starts: backfill (manual), daily-sweep (06:00 UTC), refresh-calendar
    (daily), and one after-earnings per watched ticker scheduled at its predicted or announced release times."""
    common = {"lake": lake, "mirror": mirror}
    deployments = [
        backfill.to_deployment(name="backfill", parameters=common,
                               description="Load tickers over a date range; parameters are a validated form."),
        daily_sweep.to_deployment(name="daily-sweep", parameters=common, schedules=[CronSchedule(cron="0 6 * * *")]),
        refresh_calendar.to_deployment(name="refresh-calendar", parameters={"lake": lake},
                                       schedules=[CronSchedule(cron="30 5 * * *")]),
    ]
    for ticker, (_predictions, rule) in upcoming_schedules(lake).items():
        schedules = [RRuleSchedule(rrule=rule)] if rule else []
        deployments.append(after_earnings.to_deployment(
            name=f"after-earnings-{ticker.lower()}", parameters={"ticker": ticker, **common}, schedules=schedules,
            description=f"Poll EDGAR after {ticker}'s expected earnings release and ingest it."))
    return deployments
