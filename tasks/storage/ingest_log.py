"""The lake's record of what was ingested (``state/ingests.json``): every distinct set of tickers, dates and forms
an ingest ran with, so that ``reprocess`` rebuilds exactly what the ingests published, from raw/ alone."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date

from tasks.dates import iso_date
from tasks.errors import ContractError, PreconditionFailed
from tasks.storage.lake import Lake

INGESTS = "state/ingests.json"


@dataclass(frozen=True)
class IngestRecord:
    tickers: tuple[str, ...]
    since: str | None
    until: str | None
    forms: tuple[str, ...]

    def dates(self) -> tuple[date | None, date | None]:
        return iso_date(self.since), iso_date(self.until)


def read_ingests(lake: Lake) -> list[IngestRecord]:
    blob = lake.store.read(INGESTS)
    return _parse(blob.data) if blob is not None else []


def _parse(data: bytes) -> list[IngestRecord]:
    try:
        entries = json.loads(data)
        return [IngestRecord(tuple(e["tickers"]), e.get("since"), e.get("until"), tuple(e["forms"])) for e in entries]
    except (ValueError, KeyError, TypeError) as exc:
        raise ContractError("state", f"{INGESTS} is not a list of ingests: {exc}") from None


def record_ingest(lake: Lake, record: IngestRecord) -> None:
    """Add ``record`` once (a conditional write: concurrent ingests do not lose each other's records)."""
    for _ in range(5):
        blob = lake.store.read(INGESTS)
        known = _parse(blob.data) if blob is not None else []
        if record in known:
            return
        body = json.dumps([asdict(r) for r in [*known, record]], indent=1).encode()
        try:
            lake.store.write(INGESTS, body, expect=blob.etag if blob is not None else None)
            return
        except PreconditionFailed:
            continue
