"""The reviewed vocabulary of earnings releases (schemas/release_vocabulary.yaml), compiled once.

Parsers ask this module for patterns by concept (outlook headings, forward verbs, metric names, period words,
verbal levels); the words themselves live in the YAML file, never in parser code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

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
    forward: re.Pattern[str]
    forward_noun: re.Pattern[str]
    boilerplate: re.Pattern[str]
    excluded_subject: re.Pattern[str]
    comparison: re.Pattern[str]
    metrics: tuple[MetricName, ...]
    scopes: tuple[tuple[str, re.Pattern[str]], ...]
    any_metric: re.Pattern[str]
    non_gaap: re.Pattern[str]
    gaap: re.Pattern[str]
    negative_before: re.Pattern[str]
    negative_after: re.Pattern[str]
    expense_of: re.Pattern[str]
    growth: re.Pattern[str]
    past: re.Pattern[str]
    metric_modifier: re.Pattern[str]
    verbal: tuple[tuple[str, re.Pattern[str]], ...]
    ordinals: dict[str, int]
    this_year: re.Pattern[str]
    next_year: re.Pattern[str]


def _load_raw() -> dict[str, Any]:
    try:
        text = resources.files("schemas").joinpath(_FILE).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"schemas/{_FILE}: cannot read the release vocabulary: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"schemas/{_FILE}: expected a mapping at the top level")
    return data


@cache
def vocabulary() -> Vocabulary:
    raw = _load_raw()
    try:
        outlook, periods, negative = raw["outlook"], raw["periods"], raw["negative"]
        metrics = tuple(MetricName(m["metric"], words(m["phrases"]))
                        for m in raw["metrics"])
        return Vocabulary(
            outlook_heading=words(outlook["headings"]),
            forward=words(outlook["forward"]),
            forward_noun=words(outlook["forward_nouns"]),
            boilerplate=words(outlook["boilerplate"]),
            excluded_subject=words(outlook["excluded_subjects"]),
            comparison=re.compile(rf"(?<![\w-])(?:{_alternation(raw['comparison'])})", re.I),
            metrics=metrics,
            scopes=tuple((entry["detail"], words(entry["phrases"])) for entry in raw["scopes"]),
            any_metric=words([p for m in raw["metrics"] for p in m["phrases"]]),
            non_gaap=words(raw["basis"]["non_gaap"]),
            gaap=words(raw["basis"]["gaap"]),
            negative_before=words(negative["before"]),
            negative_after=words(negative["after"]),
            expense_of=words(negative["expense_of"]),
            growth=words(raw["growth"]),
            past=words(raw["past"]),
            metric_modifier=words(raw["metric_modifiers"]),
            verbal=tuple((v["qualifier"], words(v["phrases"])) for v in raw["verbal"]),
            ordinals={str(k).lower(): int(v) for k, v in periods["ordinals"].items()},
            this_year=words(periods["this_year"]),
            next_year=words(periods["next_year"]),
        )
    except (KeyError, TypeError, re.error) as exc:
        raise ConfigError(f"schemas/{_FILE}: malformed entry: {exc!r}") from None
