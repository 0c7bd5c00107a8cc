"""Keys of the lake layout described in tasks.storage.lake (which owns the layout): where a fetched URL is
archived, where a dataset partition lives, and the Parquet bytes a partition is written as."""

from __future__ import annotations

import hashlib
import io
from urllib.parse import quote, urlsplit

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from schemas.contract import DatasetContract
from tasks.errors import StoreError

PART_NAME = "part-0.parquet"


def raw_key(url: str) -> str:
    """Where the body of ``url`` lives in the raw archive."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = parts.path
    if host == "www.sec.gov" and path.startswith("/Archives/edgar/data/"):
        key = "raw/sec/" + path[len("/Archives/edgar/data/") :]
    elif host == "data.sec.gov" and path.startswith("/submissions/"):
        key = "raw/sec/submissions/" + path[len("/submissions/") :]
    elif host == "data.sec.gov" and path.startswith("/api/xbrl/companyfacts/"):
        key = "raw/sec/companyfacts/" + path[len("/api/xbrl/companyfacts/") :]
    elif host == "www.sec.gov" and path.startswith("/files/"):
        key = "raw/sec/files/" + path[len("/files/") :]
    else:
        key = f"raw/web/{host}{path}"
        if key.endswith("/"):
            key += "index.html"
    if parts.query:
        key += "__q" + hashlib.sha256(parts.query.encode()).hexdigest()[:16]
    if ".." in key.split("/"):
        raise StoreError(f"refusing to archive {url!r}: path escapes the archive")
    return key


def is_immutable(url: str) -> bool:
    """EDGAR Archives documents never change once published."""
    parts = urlsplit(url)
    return (parts.hostname or "").lower() == "www.sec.gov" and parts.path.startswith("/Archives/edgar/data/")


def _encode(value: object) -> str:
    return quote(str(value), safe="")


def partition_path(contract: DatasetContract, values: dict[str, object]) -> str:
    segments = [f"{key}={_encode(values[key])}" for key in contract.partition_by]
    return "/".join(["curated", contract.name, *segments, PART_NAME])


def frame_to_parquet(frame: pl.DataFrame, contract: DatasetContract | None = None) -> bytes:
    """Parquet bytes (zstd, statistics); with a contract, each field carries its meaning and unit as metadata."""
    buffer = io.BytesIO()
    if contract is None:
        frame.write_parquet(buffer, compression="zstd", statistics=True)
        return buffer.getvalue()
    table = frame.to_arrow()
    docs = contract.column_docs()
    fields = [f.with_metadata({"description": docs[f.name]["meaning"], "unit": docs[f.name]["unit"]})
              if f.name in docs else f for f in table.schema]
    schema = pa.schema(fields, metadata={"dataset": contract.name, "schema_version": str(contract.version)})
    pq.write_table(pa.Table.from_arrays(table.columns, schema=schema), buffer, compression="zstd")
    return buffer.getvalue()
