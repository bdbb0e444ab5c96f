"""The BI snapshot: every mart copied, swapped in whole, earlier snapshots kept for readers still on them."""

from __future__ import annotations

import json

import duckdb

from orchestration.snapshot import BI_DATABASE_NAME, KEEP_VERSIONS, MANIFEST_NAME, publish_snapshot


def _warehouse(path, orders: int):
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts")
        con.execute(f"create or replace table marts.fct_orders as select range as order_id from range({orders})")
        con.execute("create or replace table marts.dim_customers as select 1 as customer_id")
        con.execute("create schema if not exists staging")
        con.execute("create or replace table staging.not_published as select 1 as x")


def _read_snapshot(bi_dir) -> dict[str, tuple[int, int]]:
    """Rows per table in the DuckDB copy and in the Parquet files."""
    with duckdb.connect(str(bi_dir / BI_DATABASE_NAME), read_only=True) as con:
        tables = [t for (t,) in con.execute("select table_name from information_schema.tables").fetchall()]
        return {
            t: (
                con.execute(f"select count(*) from marts.{t}").fetchone()[0],
                con.execute(f"select count(*) from '{bi_dir / 'parquet' / (t + '.parquet')}'").fetchone()[0],
            )
            for t in tables
        }


def test_publishes_every_mart_to_duckdb_and_parquet(tmp_path):
    warehouse, bi_dir = tmp_path / "w.duckdb", tmp_path / "bi"
    _warehouse(warehouse, orders=5)
    snapshot = publish_snapshot(warehouse, bi_dir)
    assert snapshot.rows == {"dim_customers": 1, "fct_orders": 5}
    assert _read_snapshot(bi_dir) == {"dim_customers": (1, 1), "fct_orders": (5, 5)}
    assert json.loads((bi_dir / MANIFEST_NAME).read_text())["rows"] == snapshot.rows
    assert not [p for p in bi_dir.iterdir() if p.name.startswith(".")], "temporary files left behind"


def test_new_snapshot_replaces_the_old_while_a_reader_holds_it(tmp_path):
    warehouse, bi_dir = tmp_path / "w.duckdb", tmp_path / "bi"
    _warehouse(warehouse, orders=5)
    first = publish_snapshot(warehouse, bi_dir)
    reader = duckdb.connect(str(bi_dir / BI_DATABASE_NAME), read_only=True)
    old_parquet = (bi_dir / "parquet").resolve() / "fct_orders.parquet"
    try:
        _warehouse(warehouse, orders=7)
        publish_snapshot(warehouse, bi_dir)
        # The open reader still sees the complete old copy; new readers see the new one.
        assert reader.execute("select count(*) from marts.fct_orders").fetchone()[0] == 5
        assert duckdb.sql(f"select count(*) from '{old_parquet}'").fetchall()[0][0] == 5
    finally:
        reader.close()
    assert _read_snapshot(bi_dir)["fct_orders"] == (7, 7)
    assert (bi_dir / "parquet").is_symlink()
    for _ in range(KEEP_VERSIONS):
        publish_snapshot(warehouse, bi_dir)
    versions = sorted(p.name for p in (bi_dir / "parquet-versions").iterdir())
    assert len(versions) == KEEP_VERSIONS and first.snapshot_id not in versions
