"""A store that fails mid-publish (a full disk, an S3 outage) fails that dataset only, and the catalog lists
exactly the partitions that landed; the next run publishes the rest."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from flows.runtime import Runtime
from flows.steps import publish_dataset
from schemas.releases import GUIDANCE
from tasks.config import load_settings
from tasks.fetch.source import Source
from tasks.storage.lake import Lake
from tasks.storage.object_store import LocalStore
from tests.support.sample_frames import guidance_row


class FullDisk(LocalStore):
    """A local store whose disk fills up after ``room`` curated writes."""

    def __init__(self, root: Path, room: int) -> None:
        super().__init__(root)
        self.room = room

    def write(self, key: str, data: bytes, *, expect: str | None) -> str:
        if key.startswith("curated/") and key.endswith(".parquet"):
            if self.room <= 0:
                raise OSError(28, "No space left on device")
            self.room -= 1
        return super().write(key, data, expect=expect)


def test_a_full_disk_fails_the_dataset_and_the_catalog_lists_what_landed(tmp_path: Path) -> None:
    store = FullDisk(tmp_path / "lake", room=1)
    lake = Lake(store)
    rt = Runtime(load_settings(lake=str(tmp_path / "lake")), lake, Source(lake, None), run_id="run-9")
    rows = [guidance_row("0001234567-25-000001", "revenue", 5e8),
            {**guidance_row("0001234567-25-000002", "revenue", 6e8), "fiscal_year": 2027, "fiscal_period": "FY2027"}]
    batch = pl.DataFrame([{c: r.get(c) for c in GUIDANCE.columns} for r in rows], schema=GUIDANCE.schema)

    assert publish_dataset(rt, GUIDANCE, batch) is False
    assert "No space left on device" in rt.summary.datasets_failed["guidance"] and rt.summary.exit_code == 2
    files = {k.split("/", 2)[2] for k in lake.partition_keys(GUIDANCE)}
    catalog = json.loads((tmp_path / "lake" / "curated" / "_catalog.json").read_text())
    assert set(catalog["datasets"]["guidance"]["partitions"]) == files and len(files) == 1

    store.room = 10  # space again: the next run publishes the rest and the catalog still matches the files
    assert publish_dataset(rt, GUIDANCE, batch) is True
    catalog = json.loads((tmp_path / "lake" / "curated" / "_catalog.json").read_text())
    assert catalog["datasets"]["guidance"]["partitions"] == {
        k.split("/", 2)[2]: 1 for k in lake.partition_keys(GUIDANCE)} and catalog["datasets"]["guidance"]["row_count"] == 2


@pytest.mark.s3
def test_an_s3_outage_fails_the_dataset_and_the_catalog_lists_what_landed(tmp_path: Path) -> None:
    import boto3
    from botocore.config import Config

    from tasks.storage.lake import UpsertResult
    from tasks.storage.object_store import S3Store
    from tests.support.lakes import moto_endpoint, new_bucket, s3_store
    from tests.support.proxy import DroppingProxy

    with moto_endpoint() as endpoint:
        bucket = new_bucket(endpoint)
        host, port = endpoint.removeprefix("http://").split(":")
        with DroppingProxy(host, int(port)) as proxy:
            client = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                           region_name="us-east-1").client(
                "s3", endpoint_url=f"http://127.0.0.1:{proxy.port}",
                config=Config(retries={"max_attempts": 2, "mode": "standard"}, connect_timeout=2, read_timeout=2))

            class Outage(S3Store):
                """S3 through the proxy, which goes down once the first partition has landed."""

                def write(self, key: str, data: bytes, *, expect: str | None) -> str:
                    etag = super().write(key, data, expect=expect)
                    if key.endswith(".parquet"):
                        proxy.go_down()
                    return etag

            lake = Lake(Outage(f"s3://{bucket}/lake", client=client))
            rt = Runtime(load_settings(lake=f"s3://{bucket}/lake"), lake, Source(lake, None), run_id="run-s3")
            rows = [guidance_row("0001234567-25-000001", "revenue", 5e8),
                    {**guidance_row("0001234567-25-000002", "revenue", 6e8), "fiscal_year": 2027,
                     "fiscal_period": "FY2027"}]
            batch = pl.DataFrame([{c: r.get(c) for c in GUIDANCE.columns} for r in rows], schema=GUIDANCE.schema)
            assert publish_dataset(rt, GUIDANCE, batch) is False
            assert rt.summary.datasets_failed["guidance"].startswith("not written:") and rt.summary.exit_code == 2
        # S3 back: the next catalog update repairs the catalog from the files that landed during the outage
        direct = Lake(s3_store(endpoint, bucket))
        direct.record_in_catalog(GUIDANCE, UpsertResult(GUIDANCE.name))
        files = {k.split("/", 2)[2] for k in direct.partition_keys(GUIDANCE)}
        catalog = json.loads(direct.store.read("curated/_catalog.json").data)  # type: ignore[union-attr]
        assert set(catalog["datasets"]["guidance"]["partitions"]) == files and len(files) == 1
