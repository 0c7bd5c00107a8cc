"""Lakes for tests: a local folder, and S3 served by moto over real HTTP on 127.0.0.1."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3

from tasks.storage.object_store import S3Store


@contextmanager
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def s3_client(endpoint: str) -> Any:
    return boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    ).client("s3", endpoint_url=endpoint)


def new_bucket(endpoint: str) -> str:
    name = f"lake-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=name)
    return name


def s3_store(endpoint: str, bucket: str, prefix: str = "lake") -> S3Store:
    return S3Store(f"s3://{bucket}/{prefix}", client=s3_client(endpoint))


def drain_prefect_workers(timeout: float = 30) -> None:
    """Send the events and logs a test's flow runs queued for a local Prefect server while it still runs;
    otherwise the interpreter waits at exit for a server that is gone."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (EventsWorker, APILogWorker):
        worker.drain_all(timeout=timeout, at_exit=False)
