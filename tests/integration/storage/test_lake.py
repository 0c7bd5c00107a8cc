from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from schemas.contract import DatasetContract
from tasks.errors import ContractError, PreconditionFailed
from tasks.storage.lake import CATALOG_KEY, Lake
from tasks.storage.layout import partition_path, raw_key
from tasks.storage.object_store import LocalStore, ObjectStore
from tasks.storage.publish import publish
from tests.support.lakes import moto_endpoint, new_bucket, s3_store
from tests.support.sample_frames import PRICES, rows


@pytest.fixture(scope="module")
def moto() -> Iterator[str]:
    with moto_endpoint() as endpoint:
        yield endpoint


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "local":
        return LocalStore(tmp_path / "lake")
    endpoint = request.getfixturevalue("moto")
    return s3_store(endpoint, new_bucket(endpoint))


def test_raw_key_layout() -> None:
    assert raw_key("https://www.sec.gov/Archives/edgar/data/1045810/000104581025000021/q4fy25pr.htm") == \
        "raw/sec/1045810/000104581025000021/q4fy25pr.htm"
    assert raw_key("https://data.sec.gov/submissions/CIK0001045810.json") == "raw/sec/submissions/CIK0001045810.json"
    assert raw_key("https://nvidianews.nvidia.com/news/x").startswith("raw/web/nvidianews.nvidia.com/news/x")
    assert raw_key("https://a.example/p?q=1") != raw_key("https://a.example/p?q=2")


def test_upsert_partitions_merges_by_key_and_reads_back(store: ObjectStore) -> None:
    lake = Lake(store)
    publish(lake, PRICES, rows(("NVDA", 2025, "Q1", 1), ("NVDA", 2025, "Q2", 2), ("MSFT", 2024, "Q1", 3)))
    publish(lake, PRICES, rows(("NVDA", 2025, "Q2", 20), ("NVDA", 2025, "Q3", 30)))
    expected = rows(("MSFT", 2024, "Q1", 3), ("NVDA", 2025, "Q1", 1), ("NVDA", 2025, "Q2", 20),
                    ("NVDA", 2025, "Q3", 30))
    assert_frame_equal(lake.read_dataset(PRICES), expected)
    assert sorted(lake.partition_keys(PRICES)) == [
        "curated/prices/ticker=MSFT/fiscal_year=2024/part-0.parquet",
        "curated/prices/ticker=NVDA/fiscal_year=2025/part-0.parquet",
    ]
    catalog = lake.catalog()["datasets"]["prices"]
    assert catalog["row_count"] == 4 and catalog["primary_key"] == ["ticker", "period"]


def test_unchanged_partition_is_not_rewritten(store: ObjectStore) -> None:
    lake = Lake(store)
    batch = rows(("NVDA", 2025, "Q1", 1), ("NVDA", 2025, "Q2", 2))
    first = publish(lake, PRICES, batch)
    before = {k: store.read(k) for k in [*lake.partition_keys(PRICES), CATALOG_KEY]}
    second = publish(lake, PRICES, batch.reverse())
    after = {k: store.read(k) for k in before}
    assert len(first.partitions_written) == 1 and second.partitions_written == []
    assert before == after


def test_contract_rejects_duplicate_keys_and_nulls(store: ObjectStore) -> None:
    lake = Lake(store)
    with pytest.raises(ContractError, match="share a primary key"):
        publish(lake, PRICES, rows(("NVDA", 2025, "Q1", 1), ("NVDA", 2025, "Q1", 2)))
    with pytest.raises(ContractError, match="null values in required columns"):
        publish(lake, PRICES, rows(("NVDA", 2025, "Q1", 1)).with_columns(pl.lit(None, pl.String).alias("period")))
    with pytest.raises(ContractError, match="unexpected columns"):
        publish(lake, PRICES, rows(("NVDA", 2025, "Q1", 1)).with_columns(pl.lit(1).alias("extra")))
    assert lake.partition_keys(PRICES) == []


def test_conditional_write_detects_lost_race(store: ObjectStore) -> None:
    store.write("curated/x/part-0.parquet", b"one", expect=None)
    blob = store.read("curated/x/part-0.parquet")
    assert blob is not None
    store.write("curated/x/part-0.parquet", b"two", expect=blob.etag)
    with pytest.raises(PreconditionFailed):
        store.write("curated/x/part-0.parquet", b"three", expect=blob.etag)
    with pytest.raises(PreconditionFailed):
        store.write("curated/x/part-0.parquet", b"three", expect=None)


def test_concurrent_writers_lose_no_rows(store: ObjectStore) -> None:
    lake = Lake(store)
    barrier = threading.Barrier(4)

    def writer(n: int) -> None:
        barrier.wait()
        for i in range(3):
            publish(lake, PRICES, rows(("NVDA", 2025, f"w{n}-{i}", n * 10 + i)))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert lake.read_dataset(PRICES).height == 12
    assert lake.catalog()["datasets"]["prices"]["row_count"] == 12


def test_killed_publish_leaves_previous_partition_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lake = Lake(LocalStore(tmp_path / "lake"))
    publish(lake, PRICES, rows(("NVDA", 2025, "Q1", 1)))
    key = partition_path(PRICES, {"ticker": "NVDA", "fiscal_year": 2025})
    before = (tmp_path / "lake" / key).read_bytes()

    def killed(src: object, dst: object) -> None:
        raise KeyboardInterrupt("killed between temp write and rename")

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        publish(lake, PRICES, rows(("NVDA", 2025, "Q2", 2)))
    monkeypatch.undo()
    assert (tmp_path / "lake" / key).read_bytes() == before
    assert_frame_equal(lake.read_dataset(PRICES), rows(("NVDA", 2025, "Q1", 1)))
    leftovers = [p.name for p in (tmp_path / "lake" / key).parent.iterdir()]
    assert leftovers == ["part-0.parquet"]


@pytest.mark.s3
def test_local_and_s3_lakes_hold_the_same_rows(tmp_path: Path, moto: str) -> None:
    local, remote = Lake(LocalStore(tmp_path / "lake")), Lake(s3_store(moto, new_bucket(moto)))
    batches = [rows(("NVDA", 2025, "Q1", 1), ("MSFT", 2024, "Q4", 5)), rows(("NVDA", 2025, "Q1", 7))]
    for lake in (local, remote):
        for batch in batches:
            publish(lake, PRICES, batch)
    assert_frame_equal(local.read_dataset(PRICES), remote.read_dataset(PRICES))
    for key in local.partition_keys(PRICES):
        assert local.store.read(key).data == remote.store.read(key).data  # type: ignore[union-attr]


def test_raw_archive_roundtrip_and_commit_marker(store: ObjectStore) -> None:
    from datetime import UTC, datetime

    lake = Lake(store)
    url = "https://www.sec.gov/Archives/edgar/data/1/000000000125000001/doc.htm"
    assert lake.raw_read(url) is None
    store.put(raw_key(url), b"half written, no metadata")
    assert lake.raw_read(url) is None
    lake.raw_write(url, b"body", status=200, content_type="text/html", fetched_at=datetime(2025, 1, 1, tzinfo=UTC))
    body, meta = lake.raw_read(url)  # type: ignore[misc]
    assert body == b"body" and meta["url"] == url and meta["size"] == 4 and meta["status"] == 200
    assert list(lake.raw_urls("raw/sec/1/")) == [url]


def test_a_document_brings_all_its_rows_and_an_added_column_reads_as_null(tmp_path: Path) -> None:
    """replace_by: a re-parse of a document with fewer rows leaves none of its old rows behind (other documents'
    rows stay); a column a newer contract version adds reads as null from partitions written before it."""
    by_source = DatasetContract(name="prices", version=1, columns=dict(PRICES.columns), primary_key=("ticker", "period"),
                                partition_by=("ticker", "fiscal_year"), lineage=("source_url",),
                                description="test dataset", replace_by=("source_url",))
    lake = Lake(LocalStore(tmp_path / "lake"))

    def sourced(*items: tuple[str, str, int]) -> pl.DataFrame:
        return pl.DataFrame([{"ticker": "NVDA", "fiscal_year": 2025, "period": p, "value": v, "source_url": u}
                             for u, p, v in items], schema=by_source.schema)

    publish(lake, by_source, sourced(("https://x/a", "Q1", 1), ("https://x/a", "Q2", 2), ("https://x/b", "Q3", 3)))
    publish(lake, by_source, sourced(("https://x/a", "Q1", 10)))  # document a now gives one row
    assert_frame_equal(lake.read_dataset(by_source), sourced(("https://x/a", "Q1", 10), ("https://x/b", "Q3", 3)))

    wider = DatasetContract(name="prices", version=2, columns={**PRICES.columns, "note": pl.String()},
                            primary_key=("ticker", "period"), partition_by=("ticker", "fiscal_year"),
                            lineage=("source_url",), description="test dataset")
    read = lake.read_dataset(wider)
    assert read["note"].to_list() == [None, None] and read["value"].to_list() == [10, 3]
