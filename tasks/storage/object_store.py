"""Byte stores behind the lake: a local folder or S3 (boto3). Every write is atomic per object.

Conditional writes are the concurrency primitive: ``write(key, data, expect=etag)`` succeeds only
if the object still has that ETag (``expect=None``: only if it does not exist); otherwise it raises
PreconditionFailed and the caller re-reads and re-merges.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from botocore.exceptions import ClientError

from tasks.errors import ConfigError, PreconditionFailed, StoreError


@dataclass(frozen=True)
class Blob:
    data: bytes
    etag: str


class ObjectStore(Protocol):
    url: str

    def read(self, key: str) -> Blob | None: ...
    def exists(self, key: str) -> bool: ...
    def write(self, key: str, data: bytes, *, expect: str | None) -> str: ...
    def put(self, key: str, data: bytes) -> None: ...
    def list(self, prefix: str) -> Iterator[str]: ...
    def delete(self, key: str) -> None: ...


def _local_etag(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class LocalStore:
    """A folder. Temp file + fsync + os.replace; conditional writes under a per-key flock."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        self.url = str(self.root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise StoreError(f"key {key!r} escapes the lake root")
        return path

    def read(self, key: str) -> Blob | None:
        try:
            data = self._path(key).read_bytes()
        except FileNotFoundError:
            return None
        return Blob(data, _local_etag(data))

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    @contextlib.contextmanager
    def _key_lock(self, key: str) -> Iterator[None]:
        lock_dir = self.root / ".locks"
        lock_dir.mkdir(parents=True, exist_ok=True)
        lock_path = lock_dir / hashlib.sha256(key.encode()).hexdigest()
        with open(lock_path, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _replace(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        try:
            with open(temp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, path)
        finally:
            temp.unlink(missing_ok=True)

    def write(self, key: str, data: bytes, *, expect: str | None) -> str:
        path = self._path(key)
        with self._key_lock(key):
            current = self.read(key)
            if (current.etag if current else None) != expect:
                raise PreconditionFailed(f"{key}: changed since it was read")
            self._replace(path, data)
        return _local_etag(data)

    def put(self, key: str, data: bytes) -> None:
        self._replace(self._path(key), data)

    def list(self, prefix: str) -> Iterator[str]:
        base = self.root
        start = self._path(prefix) if prefix else base
        folder = start if start.is_dir() else start.parent
        if not folder.exists():
            return
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.name.startswith("."):
                continue
            key = path.relative_to(base).as_posix()
            if key.startswith(prefix) and not key.startswith(".locks/"):
                yield key

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class S3Store:
    """An S3 bucket/prefix through boto3's standard credential chain (AWS_ENDPOINT_URL honoured)."""

    def __init__(self, url: str, client: Any | None = None) -> None:
        if not url.startswith("s3://"):
            raise ConfigError(f"not an S3 URL: {url!r}")
        bucket, _, prefix = url[len("s3://") :].partition("/")
        if not bucket:
            raise ConfigError(f"S3 lake URL has no bucket: {url!r}")
        self.url = url.rstrip("/")
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        if client is None:
            import boto3

            client = boto3.session.Session().client("s3")
        self.client = client

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    @staticmethod
    def _code(exc: ClientError) -> str:
        return str(exc.response.get("Error", {}).get("Code", ""))

    def read(self, key: str) -> Blob | None:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except self.client.exceptions.NoSuchKey:
            return None
        return Blob(response["Body"].read(), str(response["ETag"]))

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if self._code(exc) in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def write(self, key: str, data: bytes, *, expect: str | None) -> str:
        condition = {"IfMatch": expect} if expect is not None else {"IfNoneMatch": "*"}
        try:
            response = self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, **condition)
        except ClientError as exc:
            if self._code(exc) in ("PreconditionFailed", "412", "ConditionalRequestConflict", "409"):
                raise PreconditionFailed(f"{key}: changed since it was read") from None
            raise
        return str(response["ETag"])

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)

    def list(self, prefix: str) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        strip = len(self.prefix) + 1 if self.prefix else 0
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self._key(prefix)):
            for item in page.get("Contents", []):
                yield str(item["Key"])[strip:]

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))


def open_store(lake: str) -> ObjectStore:
    """The store for a lake setting: ``s3://bucket/prefix`` or a local folder."""
    if lake.startswith("s3://"):
        return S3Store(lake)
    if "://" in lake:
        raise ConfigError(f"unsupported lake URL {lake!r}: use a folder or s3://bucket/prefix")
    return LocalStore(lake)
