"""Companies named in news text, by alias in English and Chinese (configuration: deployments/entities.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tasks.config_files import read_yaml
from tasks.errors import ConfigError

DEFAULT_ENTITIES = Path(__file__).resolve().parents[1] / "deployments" / "entities.yaml"


@dataclass(frozen=True)
class Entity:
    name: str
    ticker: str | None
    cik: str | None
    fiscal_year_end: str | None
    aliases: tuple[str, ...]
    segments: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (segment as reported, its aliases)


class EntityIndex:
    def __init__(self, entities: list[Entity]) -> None:
        self.entities = entities
        pairs = sorted(((alias, e) for e in entities for alias in e.aliases), key=lambda p: -len(p[0]))
        self._by_alias = {alias.lower(): e for alias, e in pairs}
        self._pattern = re.compile("|".join(re.escape(alias) for alias, _ in pairs), re.I) if pairs else None
        self.segments = [(name, re.compile("|".join(re.escape(a) for a in aliases), re.I))
                         for e in entities for name, aliases in e.segments if aliases]

    def segment_in(self, text: str) -> str | None:
        """The first segment (of any company) the text names."""
        return next((name for name, pattern in self.segments if pattern.search(text)), None)

    def mentions(self, text: str) -> list[Entity]:
        if self._pattern is None:
            return []
        plain = re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)", "", text)  # pinyin glosses of a conversion
        return [self._by_alias[m.group(0).lower()] for m in self._pattern.finditer(plain)]

    def last_in(self, text: str) -> Entity | None:
        found = self.mentions(text)
        return found[-1] if found else None

    def by_ticker(self, ticker: str) -> Entity | None:
        return next((e for e in self.entities if e.ticker == ticker), None)


def load_entities(path: str | Path | None = None) -> EntityIndex:
    where = Path(path) if path else DEFAULT_ENTITIES
    data = read_yaml(where, "entities")
    entities = []
    for name, entry in data.items():
        if not isinstance(entry, dict) or not entry.get("aliases"):
            raise ConfigError(f"{where}: {name}: needs a list of aliases")
        segments = entry.get("segments") or {}
        if not isinstance(segments, dict):
            raise ConfigError(f"{where}: {name}: segments must map a segment name to its aliases")
        named = tuple((str(s), tuple(str(a) for a in (aliases or [s]))) for s, aliases in segments.items())
        entities.append(Entity(str(name), entry.get("ticker"), entry.get("cik"), entry.get("fiscal_year_end"),
                               tuple(str(a) for a in entry["aliases"]), named))
    return EntityIndex(entities)
