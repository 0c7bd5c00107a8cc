"""Companies and their segments named in news text, by alias in English and Chinese (either script).

Companies are configuration (deployments/entities.yaml). Segment names come from the filings themselves (XBRL
members' labels, release segment rows: ``with_segments``) plus deployments/segment_aliases.yaml for spellings the
filings never use. Aliases are folded to Simplified script like the text they are matched in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from tasks.config_files import deployment_file, read_yaml
from tasks.errors import ConfigError
from tasks.news.news_text import fold
from tasks.news.news_vocabulary import phrase_pattern

DEFAULT_ENTITIES = deployment_file("entities.yaml")
DEFAULT_SEGMENT_ALIASES = deployment_file("segment_aliases.yaml")


@dataclass(frozen=True)
class Entity:
    name: str
    ticker: str | None
    cik: str | None
    fiscal_year_end: str | None
    aliases: tuple[str, ...]
    segments: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (segment as reported, its other spellings)
    products: tuple[str, ...] = ()  # product lines and brands: name the company, but a figure of one is not its total


def _spellings(words: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(s for w in words for s in (w, fold(w).text)))


class EntityIndex:
    def __init__(self, entities: list[Entity]) -> None:
        self.entities = entities
        pairs = sorted(((alias, e) for e in entities for alias in _spellings((*e.aliases, *e.products))),
                       key=lambda p: -len(p[0]))
        named_products = [(p, e.ticker) for e in entities for p in _spellings(e.products)]
        self._product_of = {p.lower(): (p, t) for p, t in named_products}
        self._products = phrase_pattern([p for p, _ in named_products]) if named_products else None
        self._by_alias = {alias.lower(): e for alias, e in pairs}
        self._pattern = phrase_pattern([alias for alias, _ in pairs]) if pairs else None
        named = [(name, spelling, e.ticker) for e in entities for name, aliases in e.segments
                 for spelling in _spellings([name, *aliases])]
        self._segment_of: dict[str, list[tuple[str, str | None]]] = {}
        for name, spelling, ticker in named:
            self._segment_of.setdefault(spelling.lower(), []).append((name, ticker))
        self._segments = phrase_pattern([spelling for _, spelling, _ in named]) if named else None

    def segment_in(self, text: str, ticker: str | None = None) -> str | None:
        """The first segment the text names (of company ``ticker`` when given, else of any company)."""
        if self._segments is None:
            return None
        for found in self._segments.finditer(text):
            for name, owner in self._segment_of.get(re.sub(r"\s+", " ", found.group(0)).lower(), []):
                if ticker is None or owner == ticker:
                    return name
        return None

    def product_in(self, text: str, ticker: str | None = None) -> str | None:
        """The first product line of the company (of any company without ``ticker``) the text names."""
        if self._products is None:
            return None
        for found in self._products.finditer(text):
            name, owner = self._product_of[re.sub(r"\s+", " ", found.group(0)).lower()]
            if ticker is None or owner == ticker:
                return name
        return None

    def mentions(self, text: str) -> list[Entity]:
        if self._pattern is None:
            return []
        return [self._by_alias[re.sub(r"\s+", " ", m.group(0)).lower()] for m in self._pattern.finditer(text)]

    def by_ticker(self, ticker: str) -> Entity | None:
        return next((e for e in self.entities if e.ticker == ticker), None)

    def with_segments(self, names: Mapping[str, Iterable[str]],
                      aliases: Mapping[str, Mapping[str, list[str]]] | None = None) -> EntityIndex:
        """A copy whose companies know their segments: names by ticker (from the filings) and other spellings."""
        aliases = load_segment_aliases() if aliases is None else aliases
        out = []
        for e in self.entities:
            spelled = aliases.get(e.ticker or "", {})
            reported = list(dict.fromkeys([*names.get(e.ticker or "", ()), *spelled]))
            out.append(replace(e, segments=tuple((n, tuple(spelled.get(n, ()))) for n in reported)))  # keeps products
        return EntityIndex(out)


def load_segment_aliases(path: str | Path | None = None) -> dict[str, dict[str, list[str]]]:
    where = Path(path) if path else DEFAULT_SEGMENT_ALIASES
    data = read_yaml(where, "segment aliases")
    out: dict[str, dict[str, list[str]]] = {}
    for ticker, segments in data.items():
        if not isinstance(segments, dict):
            raise ConfigError(f"{where}: {ticker}: must map a segment name to its other spellings")
        out[str(ticker)] = {str(name): [str(a) for a in (spellings or [])] for name, spellings in segments.items()}
    return out


def load_entities(path: str | Path | None = None) -> EntityIndex:
    where = Path(path) if path else DEFAULT_ENTITIES
    data = read_yaml(where, "entities")
    entities = []
    for name, entry in data.items():
        if not isinstance(entry, dict) or not entry.get("aliases"):
            raise ConfigError(f"{where}: {name}: needs a list of aliases")
        entities.append(Entity(str(name), entry.get("ticker"), entry.get("cik"), entry.get("fiscal_year_end"),
                               tuple(str(a) for a in entry["aliases"]),
                               products=tuple(str(p) for p in entry.get("products") or ())))
    return EntityIndex(entities)
