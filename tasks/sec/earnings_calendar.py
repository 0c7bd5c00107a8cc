"""When will a company report next? Predicted from its Item 2.02 8-K acceptance times, overridable by a file.

The cadence is the median gap between consecutive releases; the day is moved to the weekday the company
usually reports on; the time is the usual acceptance time (after the close, in UTC). The predicted dates become
an RRULE schedule (RDATEs) for the ``after-earnings`` deployment.
"""

from __future__ import annotations

import os
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path

from tasks.config_files import deployment_file, read_yaml
from tasks.dates import timestamp
from tasks.errors import ConfigError, NotADate

DEFAULT_OVERRIDES = deployment_file("earnings_calendar.yaml")
DEFAULT_WATCHLIST = deployment_file("watchlist.yaml")


@dataclass(frozen=True)
class Prediction:
    ticker: str
    at: datetime  # UTC
    basis: str  # "history: …" or "calendar file"


def predict_next(ticker: str, acceptances: list[datetime], *, after: datetime | None = None,
                 count: int = 1) -> list[Prediction]:
    """The next ``count`` release times after ``after`` (default: the last release) from past acceptances."""
    past = sorted(a.astimezone(UTC) for a in acceptances)
    if len(past) < 2:
        return []
    gaps = [(b - a).days for a, b in pairwise(past) if (b - a).days > 20]
    if not gaps:
        return []
    cadence = int(statistics.median(gaps))
    weekday = Counter(a.weekday() for a in past[-8:]).most_common(1)[0][0]
    clock = sorted(a.timetz().replace(tzinfo=None) for a in past[-8:])[len(past[-8:]) // 2]
    out: list[Prediction] = []
    last = past[-1]
    horizon = after.astimezone(UTC) if after else last
    while len(out) < count:
        guess = (last + timedelta(days=cadence)).date()
        guess = guess + timedelta(days=(weekday - guess.weekday() + 7) % 7 if (weekday - guess.weekday()) % 7 <= 3
                                  else (weekday - guess.weekday()) % 7 - 7)
        at = datetime.combine(guess, time(clock.hour, clock.minute), tzinfo=UTC)
        last = at
        if at > horizon:
            out.append(Prediction(ticker, at, f"history: {len(past)} releases, every ~{cadence} days, "
                                              f"weekday {weekday}, {clock:%H:%M} UTC"))
    return out


def load_overrides(path: str | Path | None = None) -> dict[str, list[datetime]]:
    """Ticker → announced release times (UTC) from the calendar file (EARNINGS_LAKE_CALENDAR_FILE, else
    deployments/earnings_calendar.yaml); they replace predictions."""
    where = Path(path or os.environ.get("EARNINGS_LAKE_CALENDAR_FILE") or DEFAULT_OVERRIDES)
    if not where.exists():
        return {}
    data = read_yaml(where, "the earnings calendar")
    out: dict[str, list[datetime]] = {}
    for ticker, values in data.items():
        times = []
        for value in values or []:
            try:
                when = value if isinstance(value, datetime) else timestamp(value)
            except NotADate as exc:
                raise ConfigError(f"{where}: {ticker}: {exc}") from None
            if when is None:
                continue  # an empty entry in the list
            times.append(when if when.tzinfo else when.replace(tzinfo=UTC))
        out[str(ticker).upper()] = sorted(t.astimezone(UTC) for t in times)
    return out


def load_watchlist(path: str | Path | None = None) -> list[str]:
    where = Path(path) if path else DEFAULT_WATCHLIST
    data = read_yaml(where, "the watchlist")
    tickers = data.get("tickers") if isinstance(data, dict) else None
    if not tickers:
        raise ConfigError(f"{where}: needs a non-empty 'tickers' list")
    return [str(t).upper() for t in tickers]


def schedule_for(ticker: str, acceptances: list[datetime], overrides: dict[str, list[datetime]],
                 now: datetime, count: int = 4) -> tuple[list[Prediction], str | None]:
    """Upcoming release times (file first, else predicted) and the RRULE text with their RDATEs."""
    announced = [Prediction(ticker, t, "calendar file") for t in overrides.get(ticker, []) if t > now]
    upcoming = announced or predict_next(ticker, acceptances, after=now, count=count)
    return upcoming, rrule_text(poll_times([p.at for p in upcoming]))


POLL_EVERY = timedelta(minutes=10)
POLL_WINDOW = timedelta(hours=3)


def poll_times(times: list[datetime], every: timedelta = POLL_EVERY, window: timedelta = POLL_WINDOW) -> list[datetime]:
    """Short after-earnings polls: at each expected release time and every ``every`` for ``window`` after it (a
    release filed late is still seen within ``every``; each poll is one request and ends at once)."""
    steps = int(window / every)
    return sorted({t + k * every for t in times for k in range(steps + 1)})


def rrule_text(times: list[datetime]) -> str | None:
    """An RDATE-only rule for Prefect's RRuleSchedule (DTSTART is the first date)."""
    if not times:
        return None
    stamps = [t.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ") for t in sorted(times)]
    return f"DTSTART:{stamps[0]}\nRDATE:{','.join(stamps)}"


def release_acceptances(filings: list[tuple[str, list[str], datetime | None, date]]) -> list[datetime]:
    """Acceptance times of Item 2.02 8-Ks from (form, items, accepted_at, filed_date) rows."""
    return [accepted for form, items, accepted, _filed in filings
            if form.startswith("8-K") and "2.02" in items and accepted is not None]
