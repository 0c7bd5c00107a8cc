"""The lake layout, owned here and nowhere else.

    raw/sec/CIK/ACCESSION/FILENAME           EDGAR Archives documents (immutable), + FILENAME.meta.json
    raw/sec/submissions/CIK##########.json   submissions API (refreshed each run)
    raw/sec/companyfacts/CIK##########.json  companyfacts API
    raw/sec/files/company_tickers.json       ticker map
    raw/web/HOST/PATH                        news feeds and pages
    curated/DATASET/k1=v1/k2=v2/part-0.parquet   Hive-partitioned, partition columns only in the path
    curated/_catalog.json                    schema, keys, row counts, last update per dataset
    quarantine/DATASET/run=RUN_ID/           batches held back by validation
    cache/KIND/KEY.json                      parse results keyed by content and parser version (incremental)
    state/batches/DATASET.json               fingerprint of the batch a dataset last published, and its catalog entry
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

import polars as pl
import pyarrow.parquet as pq

from schemas.contract import DatasetContract
from tasks.errors import EtlError, PreconditionFailed, StoreError
from tasks.storage.layout import PART_NAME, frame_to_parquet, partition_path, raw_key
from tasks.storage.object_store import ObjectStore

CATALOG_KEY = "curated/_catalog.json"
MAX_WRITE_ATTEMPTS = 20


@dataclass
class UpsertResult:
    dataset: str
    rows_in: int = 0
    partitions_written: list[str] = field(default_factory=list)
    partitions_unchanged: list[str] = field(default_factory=list)
    partition_rows: dict[str, int] = field(default_factory=dict)


class UpsertInterrupted(EtlError):
    """The store failed part-way through an upsert (disk full, S3 unreachable): ``partial`` says what landed."""

    def __init__(self, partial: UpsertResult, cause: BaseException) -> None:
        super().__init__(f"dataset {partial.dataset!r}: not written: {type(cause).__name__}: {cause}")
        self.partial = partial
        self.reason = f"not written: {type(cause).__name__}: {cause}"


class Lake:
    """Curated datasets, raw archive and catalog on one ObjectStore."""

    def __init__(self, store: ObjectStore) -> None:
        self.store = store

    @property
    def url(self) -> str:
        return self.store.url

    # -- raw ----------------------------------------------------------------------------------------
    def raw_meta(self, url: str) -> dict[str, Any] | None:
        blob = self.store.read(raw_key(url) + ".meta.json")
        return None if blob is None else dict(json.loads(blob.data))

    def raw_read(self, url: str) -> tuple[bytes, dict[str, Any]] | None:
        """Body and metadata of an archived response, or None. The metadata is the commit marker."""
        meta = self.raw_meta(url)
        if meta is None:
            return None
        blob = self.store.read(raw_key(url))
        if blob is None or hashlib.sha256(blob.data).hexdigest() != meta.get("sha256"):
            return None
        return blob.data, meta

    def raw_write(self, url: str, body: bytes, *, status: int, content_type: str, fetched_at: datetime) -> None:
        key = raw_key(url)
        meta = {
            "url": url,
            "fetched_at": fetched_at.astimezone(UTC).isoformat(),
            "status": status,
            "content_type": content_type,
            "size": len(body),
            "sha256": hashlib.sha256(body).hexdigest(),
        }
        self.store.put(key, body)
        self.store.put(key + ".meta.json", json.dumps(meta, indent=1, sort_keys=True).encode())
        self.store.delete(key + ".missing.json")  # it could be had after all (no-op when there is none)

    def raw_note_missing(self, url: str, reason: str, *, misses: int = 1, at: datetime | None = None) -> None:
        """Remember that ``url`` could not be had (HTTP 404): a rebuild from raw/ reports the same reason, and
        the source waits before asking again (``misses``: the 404s in a row, this one included)."""
        note = {"url": url, "reason": reason, "misses": misses,
                "noted_at": (at or datetime.now(UTC)).isoformat(timespec="seconds")}
        self.store.put(raw_key(url) + ".missing.json", json.dumps(note).encode())

    def raw_missing_note(self, url: str) -> dict[str, Any]:
        blob = self.store.read(raw_key(url) + ".missing.json")
        return dict(json.loads(blob.data)) if blob is not None else {}

    def raw_missing(self, url: str) -> str | None:
        return str(self.raw_missing_note(url).get("reason", "")) or None

    def raw_forget(self, url: str) -> None:
        """Withdraw an archived body (a truncated or unreadable one): its commit marker goes first, so the next
        run fetches the document again."""
        key = raw_key(url)
        self.store.delete(key + ".meta.json")
        self.store.delete(key)

    def raw_urls(self, prefix: str = "raw/") -> Iterator[str]:
        """The URLs archived under a key prefix."""
        for key in self.store.list(prefix):
            if key.endswith(".meta.json"):
                blob = self.store.read(key)
                if blob is not None:
                    yield str(json.loads(blob.data)["url"])

    # -- incremental runs ---------------------------------------------------------------------------
    def cache_read(self, kind: str, key: str) -> bytes | None:
        blob = self.store.read(f"cache/{kind}/{key}.json")
        return None if blob is None else blob.data

    def cache_write(self, kind: str, key: str, data: bytes) -> None:
        self.store.put(f"cache/{kind}/{key}.json", data)

    def batch_marker(self, dataset: str) -> dict[str, Any]:
        blob = self.store.read(f"state/batches/{dataset}.json")
        return {} if blob is None else dict(json.loads(blob.data))

    def set_batch_marker(self, dataset: str, marker: dict[str, Any]) -> None:
        self.store.put(f"state/batches/{dataset}.json", json.dumps(marker, sort_keys=True).encode())

    # -- curated ------------------------------------------------------------------------------------
    def _read_partition(self, contract: DatasetContract, key: str, data: bytes) -> pl.DataFrame:
        frame = pl.read_parquet(io.BytesIO(data))
        values = self.partition_values(contract, key)
        frame = frame.with_columns(
            [pl.lit(values[k]).cast(contract.columns[k]).alias(k) for k in contract.partition_by]
            # a column a newer contract version added reads as null in partitions written before it
            + [pl.lit(None).cast(t).alias(c) for c, t in contract.columns.items()
               if c not in frame.columns and c not in contract.partition_by]
        )
        return frame.select([pl.col(c).cast(t) for c, t in contract.columns.items()])

    @staticmethod
    def partition_values(contract: DatasetContract, key: str) -> dict[str, str]:
        segments = key.split("/")[2:-1]
        values = dict(seg.split("=", 1) for seg in segments)
        return {k: unquote(values[k]) for k in contract.partition_by}

    def partition_keys(self, contract: DatasetContract) -> list[str]:
        return [k for k in self.store.list(f"curated/{contract.name}/") if k.endswith("/" + PART_NAME)]

    def read_dataset(self, contract: DatasetContract) -> pl.DataFrame:
        frames = []
        for key in self.partition_keys(contract):
            blob = self.store.read(key)
            if blob is not None:
                frames.append(self._read_partition(contract, key, blob.data))
        if not frames:
            return contract.empty()
        return pl.concat(frames, how="vertical").sort(list(contract.primary_key))

    def upsert(self, contract: DatasetContract, frame: pl.DataFrame) -> UpsertResult:
        """Merge ``frame`` into its partitions by primary key; unchanged partitions are not rewritten."""
        result = UpsertResult(contract.name, rows_in=frame.height)
        if frame.height == 0:
            return result
        try:
            for _, part in frame.group_by(list(contract.partition_by), maintain_order=True):
                values = part.row(0, named=True)
                key = partition_path(contract, values)
                written, rows = self._upsert_partition(contract, key, part)
                (result.partitions_written if written else result.partitions_unchanged).append(key)
                result.partition_rows[key] = rows
        except (EtlError, pl.exceptions.PolarsError):
            raise
        except Exception as exc:  # the store failed: the partitions written so far have landed
            raise UpsertInterrupted(result, exc) from exc
        return result

    def _upsert_partition(self, contract: DatasetContract, key: str, part: pl.DataFrame) -> tuple[bool, int]:
        payload_columns = [c for c in contract.columns if c not in contract.partition_by]
        for _ in range(MAX_WRITE_ATTEMPTS):
            current = self.store.read(key)
            merged = part
            if current is not None:
                existing = self._read_partition(contract, key, current.data)
                if contract.replace_by:  # the documents in this batch bring all of their rows
                    existing = existing.join(part.select(contract.replace_by).unique(), on=list(contract.replace_by),
                                             how="anti", nulls_equal=True)
                merged = pl.concat([existing, part], how="vertical").unique(
                    subset=list(contract.primary_key), keep="last", maintain_order=True
                )
            if contract.settle is not None:
                merged = contract.settle(merged)
            merged = merged.sort(list(contract.primary_key))
            data = frame_to_parquet(merged.select(payload_columns), contract)
            if current is not None and current.data == data:
                return False, merged.height
            try:
                self.store.write(key, data, expect=current.etag if current else None)
            except PreconditionFailed:
                continue
            return True, merged.height
        raise StoreError(f"{key}: gave up after {MAX_WRITE_ATTEMPTS} conflicting concurrent writes")

    # -- catalog ------------------------------------------------------------------------------------
    def catalog(self) -> dict[str, Any]:
        blob = self.store.read(CATALOG_KEY)
        return {"datasets": {}} if blob is None else dict(json.loads(blob.data))

    def _landed(self, contract: DatasetContract, known: dict[str, int], touched: set[str]) -> dict[str, int]:
        """The catalog's partitions checked against the files: one that is not there is dropped; one this upsert
        touched, or one missing from the catalog (an interrupted run), is counted from its Parquet footer as it
        is now (a concurrent writer may have merged more rows into it since)."""
        listed = {k.split("/", 2)[2]: k for k in self.partition_keys(contract)}
        landed = {name: rows for name, rows in known.items() if name in listed and name not in touched}
        for name, key in listed.items():
            if name not in landed:
                blob = self.store.read(key)
                if blob is not None:
                    landed[name] = int(pq.read_metadata(io.BytesIO(blob.data)).num_rows)
        return landed

    def record_in_catalog(self, contract: DatasetContract, result: UpsertResult) -> None:
        """Fold an upsert into the catalog; the file is rewritten only when something changed."""
        for _ in range(MAX_WRITE_ATTEMPTS):
            current = self.store.read(CATALOG_KEY)
            catalog = {"datasets": {}} if current is None else json.loads(current.data)
            entry = catalog["datasets"].get(contract.name, {})
            partitions = self._landed(contract, dict(entry.get("partitions", {})),
                                      {k.split("/", 2)[2] for k in result.partition_rows})
            fresh = {**contract.describe(), "partitions": dict(sorted(partitions.items()))}
            fresh["row_count"] = sum(partitions.values())
            fresh["path"] = f"curated/{contract.name}/"
            unchanged = {k: v for k, v in entry.items() if k != "last_update"} == fresh
            if unchanged and not result.partitions_written:
                return
            fresh["last_update"] = datetime.now(UTC).isoformat(timespec="seconds")
            catalog["datasets"][contract.name] = fresh
            catalog["datasets"] = dict(sorted(catalog["datasets"].items()))
            data = json.dumps(catalog, indent=1).encode()
            try:
                self.store.write(CATALOG_KEY, data, expect=current.etag if current else None)
            except PreconditionFailed:
                continue
            return
        raise StoreError(f"{CATALOG_KEY}: gave up after {MAX_WRITE_ATTEMPTS} conflicting concurrent writes")
