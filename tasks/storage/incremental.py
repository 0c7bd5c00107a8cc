"""Incremental runs: work keyed by content, so a rerun over unchanged documents does no work twice.

- A document's parse result is stored under the sha256 of what the parser reads (the document bodies and the
  filing's listing) and of the parser itself (``parser_version``: a digest of the code and vocabularies that
  turn documents into rows). Change a byte of either and the document is parsed again.
- A dataset's batch has a fingerprint (the sha256 of its rows in the contract's schema). A batch equal to the one
  last published, over a dataset no one has changed since (its catalog entry is as that publish left it), is
  neither validated nor published again.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from schemas.contract import DatasetContract
from tasks.storage.lake import Lake

# Everything whose change can change a row: the parsing code, the flow steps that assemble rows, the vocabularies.
_PARSER_ROOTS = ("tasks", "schemas", "flows")
_PARSER_SUFFIXES = (".py", ".yaml")


@functools.cache
def parser_version() -> str:
    """A digest of the parsing code and vocabularies (the packages ``tasks``, ``schemas`` and ``flows``)."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parents[2]
    for root in _PARSER_ROOTS:
        for path in sorted((here / root).rglob("*")):
            if path.suffix in _PARSER_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(path.relative_to(here).as_posix().encode() + b"\x00" + path.read_bytes() + b"\x00")
    return digest.hexdigest()[:20]


def content_key(kind: str, described: object, bodies: Iterable[bytes]) -> str:
    """The cache key of one document's parse: what it is (a dataclass's repr: its listing), what it holds."""
    digest = hashlib.sha256(f"{kind}\x00{parser_version()}\x00{described!r}".encode())
    for body in bodies:
        digest.update(b"\x00" + hashlib.sha256(body).digest())
    return digest.hexdigest()


def _encode(value: Any) -> Any:
    """Plain JSON values, with dates, datetimes, decimals and tuples tagged so they come back as they were."""
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v) for v in value]}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in the parse cache")


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        (tag, value), = obj.items()
        if tag == "$datetime":
            return datetime.fromisoformat(value)
        if tag == "$date":
            return date.fromisoformat(value)
        if tag == "$decimal":
            return Decimal(value)
        if tag == "$tuple":
            return tuple(value)
    return obj


def dumps(value: Any) -> bytes:
    """JSON that gives back dates, datetimes, decimals and tuples as they were."""
    return json.dumps(_encode(value), sort_keys=True, separators=(",", ":")).encode()


def loads(data: bytes) -> Any:
    return json.loads(data, object_hook=_decode)


def batch_fingerprint(contract: DatasetContract, frame: pl.DataFrame) -> str:
    """The sha256 of a batch: its rows in a fixed order, in the contract's schema and version."""
    ordered = frame.select(list(contract.columns)).sort(list(contract.primary_key), nulls_last=True,
                                                       maintain_order=True)
    digest = hashlib.sha256(f"{contract.name}\x00{contract.version}\x00{ordered.schema!r}\x00".encode())
    # Rows as JSON lines: a canonical text of the values (Arrow IPC bytes would follow the chunk layout)
    digest.update(ordered.write_ndjson().encode())
    return digest.hexdigest()


def catalog_state(catalog: dict[str, Any], dataset: str, files: Iterable[str]) -> str:
    """A dataset as a digest: its catalog entry (partitions and row counts; not the last-update time) and the
    partition files the store lists (a file deleted by hand, or written by another run, changes it)."""
    entry = {k: v for k, v in catalog.get("datasets", {}).get(dataset, {}).items() if k != "last_update"}
    return hashlib.sha256(json.dumps([entry, sorted(files)], sort_keys=True).encode()).hexdigest()


def cached_or_computed(
    lake: Lake, kind: str, key: str, compute: Callable[[], Any], encode: Callable[[Any], Any],
    decode: Callable[[Any], Any], *, refresh: bool = False,
) -> tuple[Any, bool]:
    """The result kept in the lake's cache under ``kind``/``key`` when there is a readable one (not when
    ``refresh``), else the computed one, then kept: (result, reused). A computation that raises keeps nothing."""
    stored = None if refresh else lake.cache_read(kind, key)
    if stored is not None:
        try:
            return decode(loads(stored)), True
        except (ValueError, KeyError, TypeError):
            pass  # a torn or older entry: computed again and overwritten
    result = compute()
    lake.cache_write(kind, key, dumps(encode(result)))
    return result, False
