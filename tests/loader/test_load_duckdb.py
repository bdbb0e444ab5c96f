"""Loading into a real DuckDB file: counts, audit, skip on re-run, rejected rows, thresholds, corrupt lake."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from loader.api import load_results
from loader.errors import BatchCorruptError, RejectThresholdExceededError
from loader.lake.local import LocalLake
from loader.landing import land
from loader.loading import BatchLoadError
from loader.settings import LoaderSettings
from shop_contract import TABLES, TABLES_BY_NAME
from tests.loader.conftest import warehouse_snapshot
from tests.loader.sample_data import write_table


def query(settings: LoaderSettings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def set_field(path: Path, line: int, column: str, value: str) -> None:
    """Replace one value of a source CSV (line counts the header as 1)."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_load_creates_raw_tables_from_the_contract_and_loads_every_row(source_dir: Path, settings: LoaderSettings):
    load_id = land(source_dir, LocalLake(settings.lake_url), settings).load_id
    results = load_results(settings)
    assert [(r.table, r.status) for r in results] == [(t.name, "succeeded") for t in TABLES]
    for table in TABLES:
        columns = query(
            settings,
            f"SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'raw' "
            f"AND table_name = '{table.name}' ORDER BY ordinal_position",
        )
        assert [name for name, _ in columns] == [*table.column_names, "_load_id", "_loaded_at"]
        source_rows = (source_dir / f"{table.name}.csv").read_text().count("\n") - 1
        assert query(settings, f"SELECT count(*), min(_load_id), max(_load_id) FROM raw.{table.name}") == [
            (source_rows, load_id, load_id)
        ]
    audit = query(
        settings, "SELECT table_name, rows_in_manifest, rows_loaded, rows_rejected, status FROM raw.loader_audit"
    )
    assert all(
        rows == loaded and rejected == 0 and status == "succeeded" for _, rows, loaded, rejected, status in audit
    )
    # Types come from the contract: money is exact, timestamps are timestamps.
    assert query(settings, "SELECT typeof(list_price), typeof(created_at) FROM raw.products LIMIT 1") == [
        ("DECIMAL(12,2)", "TIMESTAMP")
    ]
    assert query(settings, "SELECT email FROM raw.customers WHERE customer_id = 1") == [('email, "quoted"',)]


def test_a_table_of_several_row_groups_lands_every_row_in_the_raw_table(source_dir: Path, settings: LoaderSettings):
    """DuckDB stores 122,880 rows per row group; the audit's count must be what the raw table holds.

    The loader once staged through a temporary table made by CREATE TABLE AS, from which DuckDB 2.0.0
    appended nothing once one part held about 115,000 rows, and audited the staged count as loaded.
    """
    write_table(source_dir, TABLES_BY_NAME["order_items"], 150_000)
    land(source_dir, LocalLake(settings.lake_url), settings)
    results = {r.table: r for r in load_results(settings)}
    assert (results["order_items"].files, results["order_items"].rows_loaded) == (1, 150_000)
    assert query(settings, "SELECT count(*), count(DISTINCT order_item_id) FROM raw.order_items") == [
        (150_000, 150_000)
    ]


def test_loading_twice_changes_nothing(source_dir: Path, settings: LoaderSettings):
    land(source_dir, LocalLake(settings.lake_url), settings)
    load_results(settings)
    once = warehouse_snapshot(settings.duckdb_path)
    again = load_results(settings)
    assert {r.status for r in again} == {"skipped"}
    assert warehouse_snapshot(settings.duckdb_path) == once


def test_batches_load_oldest_first_and_only_the_new_one_on_the_next_run(
    source_dir: Path, settings: LoaderSettings, tmp_path: Path
):
    lake = LocalLake(settings.lake_url)
    first = land(source_dir, lake, settings).load_id
    set_field(source_dir / "orders.csv", 2, "status", "shipped")
    second = land(source_dir, lake, settings).load_id
    results = load_results(settings)
    assert [r.load_id for r in results if r.table == "orders"] == [first, second]
    assert query(settings, "SELECT count(DISTINCT _load_id) FROM raw.orders") == [(2,)]
    third_source = tmp_path / "third"
    third_source.mkdir()
    (third_source / "reviews.csv").write_text((source_dir / "reviews.csv").read_text().splitlines()[0] + "\n")
    third = land(third_source, lake, settings).load_id
    results = load_results(settings)
    assert [(r.load_id, r.status) for r in results if r.status == "succeeded"] == [(third, "succeeded")]


def test_rows_that_cannot_be_cast_are_quarantined_with_line_column_value_and_reason(
    source_dir: Path, settings: LoaderSettings
):
    set_field(source_dir / "orders.csv", 3, "ordered_at", "2026-02-30 10:00:00")
    set_field(source_dir / "orders.csv", 5, "shipping_cost", "twelve")
    set_field(source_dir / "customers.csv", 4, "birth_date", "31/12/1990")
    lenient = settings.model_copy(update={"loader_max_rejected_fraction": 0.5})
    load_id = land(source_dir, LocalLake(settings.lake_url), lenient).load_id
    results = {r.table: r for r in load_results(lenient)}
    assert (results["orders"].rows_loaded, results["orders"].rows_rejected) == (20, 2)
    assert results["orders"].rows_in_manifest == 22
    rejected = query(
        settings,
        "SELECT load_id, table_name, file, line, column_name, raw_value, reason FROM raw.loader_rejected_rows "
        "ORDER BY table_name, line",
    )
    assert [(r[1], r[3], r[4], r[5]) for r in rejected] == [
        ("customers", 4, "birth_date", "31/12/1990"),
        ("orders", 3, "ordered_at", "2026-02-30 10:00:00"),
        ("orders", 5, "shipping_cost", "twelve"),
    ]
    assert all(r[0] == load_id and r[2].startswith(f"raw/{r[1]}/load_id={load_id}/part-") for r in rejected)
    assert all(r[6].startswith("CAST") for r in rejected)
    # rows in the manifest = rows loaded + rows rejected, for every table
    assert query(
        settings, "SELECT count(*) FROM raw.loader_audit WHERE rows_in_manifest <> rows_loaded + rows_rejected"
    ) == [(0,)]
    assert query(settings, "SELECT count(*) FROM raw.orders") == [(20,)]


def test_too_many_rejects_fail_the_table_and_leave_it_untouched(source_dir: Path, settings: LoaderSettings):
    for line in range(2, 8):
        set_field(source_dir / "order_items.csv", line, "quantity", "lots")
    strict = settings.model_copy(update={"loader_max_rejected_rows": 5})
    land(source_dir, LocalLake(settings.lake_url), strict)
    with pytest.raises(BatchLoadError) as caught:
        load_results(strict)
    assert isinstance(caught.value.cause, RejectThresholdExceededError)
    assert "6 of 23 rows" in str(caught.value)
    assert query(settings, "SELECT count(*) FROM raw.order_items") == [(0,)]
    assert query(settings, "SELECT count(*) FROM raw.loader_rejected_rows") == [(0,)]
    assert query(settings, "SELECT table_name, status FROM raw.loader_audit WHERE status <> 'succeeded'") == [
        ("order_items", "failed")
    ]
    # Tables before the failure stay loaded; the failed one and those after it load once allowed.
    lenient = settings.model_copy(update={"loader_max_rejected_rows": None, "loader_max_rejected_fraction": 0.5})
    results = load_results(lenient)
    assert [(r.table, r.status) for r in results][-2:] == [("order_items", "succeeded"), ("reviews", "succeeded")]
    assert query(settings, "SELECT count(*) FROM raw.order_items") == [(17,)]


def test_a_part_altered_after_landing_is_refused(source_dir: Path, settings: LoaderSettings):
    manifest = land(source_dir, LocalLake(settings.lake_url), settings).manifest
    part = Path(settings.lake_url) / manifest.table("products").parts[0].key
    data = part.read_bytes()
    part.chmod(0o644)
    part.write_bytes(data[: len(data) // 2])  # a truncated gzip
    with pytest.raises(BatchLoadError) as caught:
        load_results(settings)
    assert isinstance(caught.value.cause, BatchCorruptError)
    assert query(settings, "SELECT count(*) FROM raw.products") == [(0,)]


def test_the_load_connection_caps_duckdbs_buffer_pool(settings: LoaderSettings):
    from loader.warehouse.duckdb_target import DuckDBWarehouse

    warehouse = DuckDBWarehouse(settings.model_copy(update={"duckdb_memory_limit": "200MB"}))
    try:
        limit = warehouse.connection.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    finally:
        warehouse.close()
    assert limit == "190.7 MiB"  # DuckDB shows 200 MB in MiB
