"""Parts prepared ahead of the warehouse: checked against the manifest, inflated, in load order, bounded on disk."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest

from loader.api import load_results
from loader.errors import BatchCorruptError
from loader.lake.local import LocalLake
from loader.landing import land
from loader.loading import BatchLoadError
from loader.manifest import PartFile, TableBatch
from loader.settings import LoaderSettings
from loader.warehouse import parts as parts_module
from loader.warehouse.parts import LOOKAHEAD, LandedParts
from tests.loader.test_load_duckdb import query


def put_part(lake: LocalLake, key: str, data: bytes) -> PartFile:
    lake.put_bytes(key, data)
    return PartFile(key, len(data), hashlib.sha256(data).hexdigest(), 0)


def csv_text(table: str, part: int) -> bytes:
    return "".join(f"{table},{part},{row}\n" for row in range(2_000)).encode()


def batch_of(lake: LocalLake, table: str, count: int) -> TableBatch:
    parts = tuple(
        put_part(lake, f"raw/{table}/part-{index:04d}.csv.gz", gzip.compress(csv_text(table, index), 1))
        for index in range(count)
    )
    return TableBatch(table, 0, f"{table}.csv", "0" * 64, parts)


def test_parts_come_inflated_in_order_skipped_tables_dropped_and_the_scratch_stays_bounded(tmp_path: Path):
    lake = LocalLake(tmp_path / "lake")
    first, skipped, last = (batch_of(lake, name, 3) for name in ("first", "skipped", "last"))
    seen, scratch_sizes = [], []
    with LandedParts(lake, [first, skipped, last]) as parts:
        for batch in (first, last):  # `skipped` was planned, then loaded by someone else
            for part, path in parts.of(batch):
                seen.append((part.key, path.read_bytes()))
                scratch_sizes.append(len(list(path.parent.iterdir())))
        scratch = path.parent
    assert seen == [(p.key, csv_text(b.table, i)) for b in (first, last) for i, p in enumerate(b.parts)]
    assert max(scratch_sizes) <= LOOKAHEAD + 1
    assert not scratch.exists(), "leaving the context removes every inflated part"


def test_nothing_is_fetched_until_a_part_is_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Redshift's COPY reads the lake itself: planning its tables must not download a byte."""
    lake = LocalLake(tmp_path / "lake")
    batch = batch_of(lake, "orders", 2)
    fetched: list[PartFile] = []
    monkeypatch.setattr(LandedParts, "_prepare", lambda self, part: fetched.append(part))
    with LandedParts(lake, [batch]) as parts:
        assert parts.lake is lake
    assert fetched == []


def test_a_part_that_matches_its_manifest_but_is_not_gzip_is_refused(tmp_path: Path):
    lake = LocalLake(tmp_path / "lake")
    part = put_part(lake, "raw/orders/part-0000.csv.gz", b"order_id\n1\n")
    with LandedParts(lake, []) as parts, pytest.raises(BatchCorruptError, match="not readable gzip"):
        next(parts.of(TableBatch("orders", 1, "orders.csv", "0" * 64, (part,))))


def test_a_corrupt_part_fails_its_own_table_only_although_it_was_read_ahead(
    source_dir: Path, settings: LoaderSettings, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(parts_module, "LOOKAHEAD", 3)  # read the corrupt part while earlier tables load
    manifest = land(source_dir, LocalLake(settings.lake_url), settings).manifest
    last = manifest.tables[-1]
    path = Path(settings.lake_url) / last.parts[0].key
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, another checksum
    path.chmod(0o644)
    path.write_bytes(bytes(data))
    with pytest.raises(BatchLoadError) as caught:
        load_results(settings)
    assert isinstance(caught.value.cause, BatchCorruptError)
    assert "no longer matches its manifest" in str(caught.value.cause)
    assert [(r.table, r.status) for r in caught.value.results] == [
        *((t.table, "succeeded") for t in manifest.tables[:-1]),
        (last.table, "failed"),
    ]
    assert query(settings, f"SELECT count(*) FROM raw.{last.table}") == [(0,)]
    assert query(settings, f"SELECT count(*) FROM raw.{manifest.tables[0].table}") == [(manifest.tables[0].rows,)]
