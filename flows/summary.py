"""The closing summary of a run: what was found, fetched, reused, failed and written."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tasks.errors import NOT_ARCHIVED


@dataclass
class RunSummary:
    filings_found: int = 0
    articles_found: int = 0  # news runs
    documents_fetched: int = 0
    documents_reused: int = 0
    not_archived: int = 0  # reprocess: documents the raw archive does not hold (their ingest reported them)
    failures: list[dict[str, str]] = field(default_factory=list)
    # parse issues that are not failed documents: outlook statements the parser could not read (stage guidance) and
    # actuals their company's XBRL contradicts (stage xbrl_check); parse_issues keeps them with their text
    notes: list[dict[str, str]] = field(default_factory=list)
    rows_written: dict[str, int] = field(default_factory=dict)
    partitions_written: dict[str, int] = field(default_factory=dict)
    datasets_failed: dict[str, str] = field(default_factory=dict)
    validations: dict[str, dict[str, Any]] = field(default_factory=dict)
    quarantined: dict[str, str] = field(default_factory=dict)  # dataset → quarantine prefix
    held_back: dict[str, list[str]] = field(default_factory=dict)  # dataset → units held (the rest published)
    held_units: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # dataset → the units' key values
    places: dict[str, str] = field(default_factory=dict)  # lake, Data Docs, report: where to look after the run
    releases_parsed: int = 0
    releases_reused: int = 0  # parse results reused: the documents and the parser are unchanged
    unchanged: list[str] = field(default_factory=list)  # datasets whose batch equals the one last published
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add_failure(self, *, url: str, reason: str, stage: str, ticker: str = "", accession: str = "",
                    locator: str = "") -> None:
        with self._lock:
            if reason == NOT_ARCHIVED:  # a rebuild from raw/ misses what the ingest never got: already reported
                self.not_archived += 1
                return
            self.failures.append({"ticker": ticker, "accession": accession, "url": url, "stage": stage,
                                  "locator": locator, "reason": reason})

    def add_note(self, *, url: str, reason: str, stage: str, locator: str, ticker: str = "",
                 accession: str = "") -> None:
        """A parse issue that is not a failed document (see ``notes``)."""
        with self._lock:
            self.notes.append({"ticker": ticker, "accession": accession, "url": url, "stage": stage,
                               "locator": locator, "reason": reason})

    def hold_rows(self, dataset: str, units: list[dict[str, Any]], why: list[str], prefix: str) -> None:
        with self._lock:
            self.held_back.setdefault(dataset, []).extend(why)
            self.held_units.setdefault(dataset, []).extend(units)
            self.quarantined[dataset] = prefix

    def count_releases(self, parsed: int, reused: int) -> None:
        with self._lock:
            self.releases_parsed += parsed
            self.releases_reused += reused

    def count_document(self, *, reused: bool) -> None:
        with self._lock:
            if reused:
                self.documents_reused += 1
            else:
                self.documents_fetched += 1

    @property
    def exit_code(self) -> int:
        """0 all done; 2 some documents or datasets failed (the rest published)."""
        return 2 if self.failures or self.datasets_failed or self.held_back else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "filings_found": self.filings_found,
            "articles_found": self.articles_found,
            "documents_fetched": self.documents_fetched,
            "documents_reused": self.documents_reused,
            "documents_failed": len(self.failures),
            "outlook_statements_unread": sum(1 for n in self.notes if n["stage"] == "guidance"),
            "actuals_xbrl_disagrees": sum(1 for n in self.notes if n["stage"] == "xbrl_check"),
            "documents_not_archived": self.not_archived,
            "failures": sorted(self.failures, key=lambda f: (f["ticker"], f["accession"], f["url"])),
            "rows_written": dict(sorted(self.rows_written.items())),
            "partitions_written": dict(sorted(self.partitions_written.items())),
            "datasets_failed": dict(sorted(self.datasets_failed.items())),
            "validations": dict(sorted(self.validations.items())),
            "quarantined": dict(sorted(self.quarantined.items())),
            "held_back": dict(sorted(self.held_back.items())),
            "places": dict(self.places),
            "releases_parsed": self.releases_parsed,
            "releases_reused": self.releases_reused,
            "unchanged": sorted(self.unchanged),
            "exit_code": self.exit_code,
        }

    def render(self) -> str:
        found = (f"articles found:      {self.articles_found}" if self.articles_found and not self.filings_found
                 else f"filings found:       {self.filings_found}")
        lines = [
            found,
            f"documents fetched:   {self.documents_fetched}",
            f"documents reused:    {self.documents_reused}",
            f"documents failed:    {len(self.failures)}",
        ]
        if self.releases_parsed or self.releases_reused:
            lines.append(f"releases parsed:     {self.releases_parsed} ({self.releases_reused} unchanged, "
                         "results reused)")
        for stage, what in (("guidance", "outlook statements not read"), ("xbrl_check", "actuals XBRL contradicts")):
            noted = [n for n in self.notes if n["stage"] == stage]  # what the parser is unsure of, with its text
            if noted:
                per_ticker = Counter(n["ticker"] or "-" for n in noted)
                lines.append(f"{what}: {len(noted)} ("
                             + ", ".join(f"{t} {n}" for t, n in sorted(per_ticker.items()))
                             + f"; parse_issues, stage {stage}, says which)")
        missing = [f for f in self.failures if f["reason"].startswith("HTTP 404")]
        if missing:  # documents EDGAR (or the mirror) does not have: counted per company, listed by --json
            per = Counter(f["ticker"] or "-" for f in missing)
            lines.append(f"  {len(missing)} not found (HTTP 404): "
                         + ", ".join(f"{t} {n}" for t, n in sorted(per.items())) + " (--json lists them)")
        for failure in sorted(self.failures, key=lambda f: (f["ticker"], f["accession"], f["url"])):
            if failure not in missing:
                lines.append(f"  FAILED {failure['url']}: {failure['reason']}")
        for dataset, rows in sorted(self.rows_written.items()):
            parts = self.partitions_written.get(dataset, 0)
            lines.append(f"dataset {dataset:<22} {rows:>7} rows in batch, {parts} partitions rewritten")
        for dataset in sorted(self.unchanged):
            lines.append(f"dataset {dataset:<22} unchanged since its last publish: not validated or written again")
        for dataset, reason in sorted(self.datasets_failed.items()):
            lines.append(f"dataset {dataset:<22} NOT PUBLISHED: {reason}")
            if dataset in self.quarantined:
                lines.append(f"        held back in {self.quarantined[dataset]}")
        for dataset, units in sorted(self.held_back.items()):
            for unit in units:
                lines.append(f"dataset {dataset:<22} HELD BACK {unit}")
            lines.append(f"        held back in {self.quarantined.get(dataset, '-')}")
        for dataset, report in sorted(self.validations.items()):
            for warning in report.get("warnings", []):
                lines.append(f"dataset {dataset:<22} warning: {warning}")
        lines += [f"{what + ':':<20} {where}" for what, where in self.places.items()]
        return "\n".join(lines)
