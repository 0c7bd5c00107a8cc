"""The Great Expectations gate: every dataset batch is validated against its suite before it is published.

This is the only module that imports great_expectations (≈4 s), and only when the first batch is validated.
polars frames become pandas at this one boundary. ``error`` failures raise ValidationFailed (the publish step
quarantines the batch); ``warning`` failures are reported and the batch publishes.
"""

from __future__ import annotations

import html
import logging
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from schemas.checks import Check
from schemas.contract import DatasetContract
from tasks.errors import ValidationFailed
from tasks.quality.expectations import native
from tasks.quality.validation_checks import all_rules, applicable, with_derived

log = logging.getLogger("earnings_lake.validation")
SAMPLE_ROWS = 5
_EXTERNAL = re.compile(r"""<(?:script|link|img)\b[^>]*(?:src|href)=["']https?://[^"']*["'][^>]*>(?:\s*</script>)?""",
                       re.I)
OFFLINE_CSS = "<style>" + (Path(__file__).with_name("data_docs.css")).read_text(encoding="utf-8") + "</style>"


@dataclass
class CheckOutcome:
    expectation: str
    column: str | None
    severity: str
    success: bool
    why: str
    unexpected_count: int
    samples: list[Any]


@dataclass
class DatasetValidation:
    dataset: str
    rows: int
    outcomes: list[CheckOutcome] = field(default_factory=list)
    result_json: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> int:
        return sum(o.success for o in self.outcomes)

    @property
    def errors(self) -> list[CheckOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "error"]

    @property
    def warnings(self) -> list[CheckOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "warning"]


def describe(outcome: CheckOutcome) -> str:
    column = f" on column {outcome.column!r}" if outcome.column else ""
    samples = f"; sample bad rows {outcome.samples[:SAMPLE_ROWS]!r}" if outcome.samples else ""
    return (f"{outcome.expectation}{column} ({outcome.why}): {outcome.unexpected_count} "
            f"unexpected{samples}")


class GxGate:
    """One ephemeral GX context per run; call it as a publish validator."""

    def __init__(self, docs: bool = False) -> None:
        self.docs = docs
        self.results: dict[str, DatasetValidation] = {}
        self._context: Any = None
        self._runs = 0
        self._lock = threading.Lock()

    def _gx(self) -> Any:
        if self._context is None:
            import great_expectations as gx  # ≈4 s, once, only when something is validated
            from great_expectations.data_context.types.base import ProgressBarsConfig

            context = gx.get_context(mode="ephemeral")
            context.variables.progress_bars = ProgressBarsConfig(globally=False)
            self._docs_tmp = Path(tempfile.mkdtemp(prefix="gx-docs-"))
            context.add_data_docs_site(site_name="lake", site_config={
                "class_name": "SiteBuilder", "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                                  "base_directory": str(self._docs_tmp)}})
            self._source = context.data_sources.add_pandas("earnings_lake")
            self._context = context
        return self._context

    def __call__(self, contract: DatasetContract, frame: pl.DataFrame) -> None:
        outcome = self.report(contract, frame)
        if outcome is not None and outcome.errors:
            raise ValidationFailed(contract.name, "; ".join(describe(o) for o in outcome.errors))

    def report(self, contract: DatasetContract, frame: pl.DataFrame) -> DatasetValidation | None:
        """Validate and record (results, Data Docs) without deciding: the publish step decides what is held."""
        if frame.is_empty():
            return None  # nothing would be published; GX's min() of an empty column is undefined
        with self._lock:  # one GX context; datasets validate one at a time
            return self.validate(contract, frame)

    def validate(self, contract: DatasetContract, frame: pl.DataFrame) -> DatasetValidation:
        import great_expectations as gx

        context = self._gx()
        data = with_derived(contract, frame)
        rules = applicable(all_rules(contract), data.columns)
        checks = list(dict.fromkeys(c for r in rules for c in r.checks))  # a check two rules share runs once
        serves = {c: [r for r in rules if c in r.checks] for c in checks}
        expectations = [native(c, serves[c], i) for i, c in enumerate(checks)]
        self._runs += 1
        name = f"{contract.name}-{self._runs}"
        suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
        asset = self._source.add_dataframe_asset(name=name)
        definition = context.validation_definitions.add(gx.ValidationDefinition(
            name=name, data=asset.add_batch_definition_whole_dataframe("batch"), suite=suite))
        actions: list[Any] = (
            [gx.checkpoint.UpdateDataDocsAction(name="docs", site_names=["lake"])]  # type: ignore[attr-defined]
            if self.docs else [])
        checkpoint = context.checkpoints.add(gx.Checkpoint(
            name=name, validation_definitions=[definition], actions=actions,
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_ROWS}))
        read = list(dict.fromkeys(column for c in checks for column in c.reads))
        result = checkpoint.run(batch_parameters={"dataframe": _for_pandas(data.select(read)).to_pandas()})
        [validation] = list(result.run_results.values())
        passed, failed = _verdicts(validation.results, checks)
        outcome = DatasetValidation(contract.name, frame.height, result_json=validation.to_json_dict())
        for rule in rules:  # GX decides; polars counts and shows the rows of a rule GX found broken
            success = all(passed[c] for c in rule.checks)
            broken = data.clear() if success else data.filter(rule.holds() == False)  # noqa: E712 (null: n/a)
            # a rule GX fails but no row breaks: its expectation and its row reading disagree, and the reason says so
            errors = [f"{c.kind} on {c.column!r}: {failed[c]}" for c in rule.checks if c in failed] \
                if not success and broken.is_empty() else []
            why = "; ".join([rule.why, *errors])
            outcome.outcomes.append(CheckOutcome(f"check:{rule.name}", rule.column, rule.severity, success, why,
                                                 broken.height, _samples(contract, broken, rule.column)))
        self.results[contract.name] = outcome
        for warning in outcome.warnings:
            log.warning("dataset %s: warning: %s", contract.name, describe(warning))
        return outcome

    def build_docs(self) -> Path | None:
        """This run's Data Docs in a local folder, made readable offline (no CDN requests)."""
        if not self.docs or self._context is None:
            return None
        self._context.build_data_docs(site_names=["lake"])
        make_offline(self._docs_tmp)
        return self._docs_tmp


def make_offline(root: Path) -> None:
    """Drop references to CDN assets (scripts, styles, images), add a small local stylesheet, and give the
    index a plain list of links (the stock index fills its tables with a CDN script)."""
    for page in root.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        text = _EXTERNAL.sub("", text).replace("</head>", OFFLINE_CSS + "</head>", 1)
        if page == root / "index.html":
            text = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + _offline_index(root), text, count=1)
        page.write_text(text, encoding="utf-8")


def _offline_index(root: Path) -> str:
    def links(folder: str) -> str:
        pages = sorted((root / folder).rglob("*.html"), reverse=True) if (root / folder).exists() else []
        return "".join(f'<li><a href="{html.escape(p.relative_to(root).as_posix())}">'
                       f"{html.escape(p.relative_to(root / folder).as_posix())}</a></li>" for p in pages)
    return (f'<section id="offline-index"><h2>Validation results</h2><ul>{links("validations")}</ul>'
            f'<h2>Expectation suites</h2><ul>{links("expectations")}</ul></section>')


def _verdicts(results: list[Any], checks: list[Check]) -> tuple[dict[Check, bool], dict[Check, str]]:
    """Whether GX passed each check, and for a check it failed what it says (unexpected values, or its error)."""
    passed: dict[Check, bool] = {}
    failed: dict[Check, str] = {}
    for item in results:
        check = checks[int(item.expectation_config.meta["check"])]
        passed[check] = bool(item.success)
        info = item.exception_info or {}
        if info.get("raised_exception"):
            failed[check] = f"GX could not evaluate it: {str(info.get('exception_message'))[:300]}"
        elif not item.success:
            failed[check] = f"GX found {item.result.get('unexpected_count', 'some')} unexpected values"
    return passed, failed


def _for_pandas(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame GX reads: times with a zone as naive UTC (GX compares them with a plain date bound; checks read
    dates as UTC), and integers as float64 — exact below 2**53 — which GX's range checks compare column-wise
    (other integer types, and integers with nulls, it compares one Python value at a time)."""
    zoned = [n for n, t in frame.schema.items() if isinstance(t, pl.Datetime) and t.time_zone]
    integers = [n for n, t in frame.schema.items() if t.is_integer()]
    return frame.with_columns([pl.col(n).dt.convert_time_zone("UTC").dt.replace_time_zone(None) for n in zoned]
                              + [pl.col(n).cast(pl.Float64) for n in integers])


def _samples(contract: DatasetContract, broken: pl.DataFrame, column: str) -> list[Any]:
    """A few failing rows: their primary key and the column the rule is about."""
    shown = list(dict.fromkeys([*contract.primary_key, column]))
    return broken.head(SAMPLE_ROWS).select([c for c in shown if c in broken.columns]).to_dicts()
