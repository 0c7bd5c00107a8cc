"""The reviewed vocabulary of earnings releases (schemas/release_vocabulary.yaml), compiled once.

Parsers ask this module for patterns by concept (outlook headings, forward verbs, metric names, period words,
verbal levels); the words themselves live in the YAML file, never in parser code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from tasks.config_files import schema_yaml
from tasks.errors import ConfigError

_FILE = "release_vocabulary.yaml"


def _alternation(phrases: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in phrases)


def words(phrases: list[str]) -> re.Pattern[str]:
    """One case-insensitive pattern matching any of ``phrases`` as whole words."""
    return re.compile(rf"(?<![\w-])(?:{_alternation(phrases)})(?![\w-])", re.I)


@dataclass(frozen=True)
class MetricName:
    metric: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Vocabulary:
    outlook_heading: re.Pattern[str]
    forecast_column: re.Pattern[str]
    reconciliation: re.Pattern[str]
    forward: re.Pattern[str]
    forward_noun: re.Pattern[str]
    boilerplate: re.Pattern[str]
    excluded_subject: re.Pattern[str]
    comparison: re.Pattern[str]
    metrics: tuple[MetricName, ...]
    scopes: tuple[tuple[str, re.Pattern[str]], ...]
    any_metric: re.Pattern[str]
    measure_noun: re.Pattern[str]
    non_gaap: re.Pattern[str]
    gaap: re.Pattern[str]
    negative_before: re.Pattern[str]
    negative_after: re.Pattern[str]
    expense_of: re.Pattern[str]
    growth: re.Pattern[str]
    past: re.Pattern[str]
    plain_modifiers: frozenset[str]
    currency: re.Pattern[str]
    constant_currency: re.Pattern[str]
    metric_modifier: re.Pattern[str]
    verbal: tuple[tuple[str, re.Pattern[str]], ...]
    ordinals: dict[str, int]
    this_year: re.Pattern[str]
    next_year: re.Pattern[str]
    year_exit: re.Pattern[str]


@cache
def _load_raw() -> dict[str, Any]:
    return schema_yaml(_FILE, "the release vocabulary")


def raw_section(name: str) -> dict[str, Any]:
    """One top-level section of the vocabulary file, as written (for parsers that compile their own words)."""
    section = _load_raw().get(name)
    if not isinstance(section, dict):
        raise ConfigError(f"schemas/{_FILE}: no `{name}` section")
    return section


def labels(phrases: list[str]) -> re.Pattern[str]:
    """A table row label that is exactly one of ``phrases`` (case-insensitive)."""
    return re.compile(rf"^\s*(?:{_alternation(phrases)})\s*:?\s*$", re.I)


@dataclass(frozen=True)
class TableWords:
    """Row labels and captions of results tables (schemas/release_vocabulary.yaml, `actuals`)."""

    revenue_totals: tuple[re.Pattern[str], ...]  # most preferred first
    revenue_not_reported: re.Pattern[str]
    income_statement_rows: re.Pattern[str]
    statement_caption: re.Pattern[str]
    cash_flow_caption: re.Pattern[str]
    capex_rows: re.Pattern[str]
    finance_lease_rows: re.Pattern[str]
    operating_cash_flow_rows: re.Pattern[str]
    free_cash_flow_rows: re.Pattern[str]
    gross_margin_rows: re.Pattern[str]
    diluted_eps_rows: re.Pattern[str]
    per_share_headings: re.Pattern[str]
    diluted_labels: re.Pattern[str]
    segment_words: re.Pattern[str]
    not_segment_prefix: re.Pattern[str]
    not_segment_label: re.Pattern[str]
    revenue_title: re.Pattern[str]
    column_table: re.Pattern[str]
    segment_table_title: re.Pattern[str]
    geography_caption: re.Pattern[str]
    geography: re.Pattern[str]


@cache
def table_words() -> TableWords:
    raw = _load_raw()
    try:
        a = raw["actuals"]
        return TableWords(
            revenue_totals=tuple(labels([p]) for p in a["revenue_totals"]),
            revenue_not_reported=re.compile(_alternation(a["revenue_not_reported"]), re.I),
            income_statement_rows=labels(a["income_statement_rows"]),
            statement_caption=words(a["statement_captions"]),
            cash_flow_caption=re.compile(_alternation(a["cash_flow_captions"]), re.I),
            capex_rows=labels(a["capex_rows"]),
            finance_lease_rows=labels(a["finance_lease_rows"]),
            operating_cash_flow_rows=labels(a["operating_cash_flow_rows"]),
            free_cash_flow_rows=labels(a["free_cash_flow_rows"]),
            gross_margin_rows=labels(a["gross_margin_rows"]),
            diluted_eps_rows=labels(a["diluted_eps_rows"]),
            per_share_headings=labels(a["per_share_headings"]),
            diluted_labels=labels(a["diluted_labels"]),
            segment_words=words(a["segment_words"]),
            not_segment_prefix=re.compile(rf"^(?:{_alternation(a['not_segment_prefixes'])})\b", re.I),
            not_segment_label=labels(a["not_segment_labels"]),
            revenue_title=labels(a["revenue_titles"]),
            column_table=words(a["column_table_words"]),
            segment_table_title=re.compile(rf"^\s*(?:{_alternation(a['segment_table_titles'])})\s+(?P<name>.+)$", re.I),
            geography_caption=words(a["geography_captions"]),
            geography=labels(a["geography"]),
        )
    except (KeyError, TypeError, re.error) as exc:
        raise ConfigError(f"schemas/{_FILE}: malformed `actuals` entry: {exc!r}") from None


@cache
def vocabulary() -> Vocabulary:
    raw = _load_raw()
    try:
        outlook, periods, negative = raw["outlook"], raw["periods"], raw["negative"]
        metrics = tuple(MetricName(m["metric"], words(m["phrases"]))
                        for m in raw["metrics"])
        return Vocabulary(
            outlook_heading=words(outlook["headings"]),
            forecast_column=words(outlook["forecast_columns"]),
            reconciliation=words(outlook["reconciliation"]),
            forward=words(outlook["forward"]),
            forward_noun=words(outlook["forward_nouns"]),
            boilerplate=words(outlook["boilerplate"]),
            excluded_subject=words(outlook["excluded_subjects"]),
            comparison=re.compile(rf"(?<![\w-])(?:{_alternation(raw['comparison'])})", re.I),
            metrics=metrics,
            scopes=tuple((entry["detail"], words(entry["phrases"])) for entry in raw["scopes"]),
            any_metric=words([p for m in raw["metrics"] for p in m["phrases"]]),
            measure_noun=words(raw["measure_nouns"]),
            non_gaap=words(raw["basis"]["non_gaap"]),
            gaap=words(raw["basis"]["gaap"]),
            negative_before=words(negative["before"]),
            negative_after=words(negative["after"]),
            expense_of=words(negative["expense_of"]),
            growth=words(raw["growth"]),
            past=words(raw["past"]),
            plain_modifiers=frozenset(str(w).lower() for w in raw["plain_modifiers"]),
            currency=words(raw["currency_words"]),
            constant_currency=words(raw["constant_currency_words"]),
            metric_modifier=words(raw["metric_modifiers"]),
            verbal=tuple((v["qualifier"], words(v["phrases"])) for v in raw["verbal"]),
            ordinals={str(k).lower(): int(v) for k, v in periods["ordinals"].items()},
            this_year=words(periods["this_year"]),
            next_year=words(periods["next_year"]),
            year_exit=words(periods["year_exit"]),
        )
    except (KeyError, TypeError, re.error) as exc:
        raise ConfigError(f"schemas/{_FILE}: malformed entry: {exc!r}") from None
