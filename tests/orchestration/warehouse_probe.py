"""Read-only looks at a pipeline's outputs that never take the warehouse's lock."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.snapshot import BI_DATABASE_NAME

#: Columns that record when or in which batch a row was loaded: they differ between equal runs.
LOAD_COLUMN_MARKERS = ("loaded_at", "load_id")


def snapshot_rows(bi_dir: Path) -> dict[str, int]:
    """Rows per table of the published DuckDB copy, read in one connection (one consistent snapshot)."""
    with duckdb.connect(str(bi_dir / BI_DATABASE_NAME), read_only=True) as con:
        tables = con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        return {t: con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in tables}


def parquet_rows(bi_dir: Path) -> dict[str, int]:
    """Rows per Parquet file of the snapshot the `parquet` link points at when called."""
    folder = (bi_dir / "parquet").resolve()
    with duckdb.connect() as con:
        return {
            p.stem: con.execute(f"select count(*) from read_parquet('{p}')").fetchone()[0]
            for p in sorted(folder.glob("*.parquet"))
        }


def fingerprints(bi_dir: Path) -> dict[str, tuple[int, int]]:
    """Per published table: rows and a hash of their content, load bookkeeping columns left out."""
    result = {}
    with duckdb.connect(str(bi_dir / BI_DATABASE_NAME), read_only=True) as con:
        tables = con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        for schema, table in tables:
            columns = [
                c
                for (c,) in con.execute(
                    "select column_name from information_schema.columns where table_schema = ? and table_name = ?"
                    " order by ordinal_position",
                    [schema, table],
                ).fetchall()
                if not any(marker in c for marker in LOAD_COLUMN_MARKERS)
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            result[f"{schema}.{table}"] = con.execute(
                f'select count(*), coalesce(sum(hash(row({select}))), 0) from "{schema}"."{table}"'
            ).fetchone()
    return result


def query_snapshot(bi_dir: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(bi_dir / BI_DATABASE_NAME), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def warehouse_write_locked(warehouse: Path) -> bool:
    """Whether some process holds DuckDB's lock on `warehouse`, seen in /proc/locks without touching it."""
    if not warehouse.exists():
        return False
    inode = f":{warehouse.stat().st_ino} "
    return any(inode in line for line in Path("/proc/locks").read_text().splitlines())


def rows_first_sent_in(warehouse: Path, load_id: str) -> dict[str, int]:
    """Orders and order lines whose id the batch `load_id` sends for the first time, from the raw tables
    (independent of dbt), less the lines the staging layer quarantines (orphans, out-of-range values)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        orders = con.execute(
            "select count(distinct order_id) from raw.orders where _load_id = $1"
            " and order_id not in (select order_id from raw.orders where _load_id <> $1)",
            [load_id],
        ).fetchone()[0]
        lines = con.execute(
            "select count(distinct order_item_id) from raw.order_items where _load_id = $1"
            " and order_item_id not in (select order_item_id from raw.order_items where _load_id <> $1)"
            " and order_item_id not in (select order_item_id from staging.stg_shop__order_items_rejected)",
            [load_id],
        ).fetchone()[0]
    return {"fct_orders": orders, "fct_order_items": lines}
