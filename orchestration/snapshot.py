"""Publish the marts to a read-only copy for BI tools: one DuckDB file plus one Parquet file per table.

BI tools must never open the live warehouse: DuckDB allows one writer process and even a reader
blocks it. So after each successful build the marts are copied out. Every file is written under a
temporary name and swapped in with a rename, which readers see as all-old or all-new:
- `ecommerce_bi.duckdb` is replaced by `os.replace` (a reader holding the old file keeps reading it);
- `parquet` is a symlink to a folder per snapshot, swapped atomically, so a reader that lists the
  folder never mixes tables of two snapshots. The previous snapshot folder is kept for readers
  still on it; older ones are pruned.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

BI_DATABASE_NAME = "ecommerce_bi.duckdb"
PARQUET_LINK = "parquet"
PARQUET_VERSIONS = "parquet-versions"
MANIFEST_NAME = "_snapshot.json"
KEEP_VERSIONS = 2


@dataclass(frozen=True)
class Snapshot:
    """What one publication wrote."""

    snapshot_id: str
    database: Path
    parquet_dir: Path
    rows: dict[str, int]


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


#: The schemas BI tools read: facts and dimensions, and the reports built on them.
PUBLISHED_SCHEMAS = ("marts", "reports")


def published_tables(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]) -> list[tuple[str, str]]:
    """(schema, table) of every table and view in `schemas`, sorted, so snapshots are stable run to run."""
    return con.execute(
        "select table_schema, table_name from information_schema.tables"
        " where table_catalog = current_database() and list_contains(?, table_schema)"
        " order by table_schema, table_name",
        [list(schemas)],
    ).fetchall()


def _swap_symlink(link: Path, target_name: str) -> None:
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)  # a plain folder from an older layout: replaced once
    staging = link.with_name(f".{link.name}.tmp-{os.getpid()}")
    staging.unlink(missing_ok=True)
    staging.symlink_to(target_name)
    staging.replace(link)


def _prune_versions(versions_dir: Path, keep: list[str]) -> None:
    for version in versions_dir.iterdir():
        if version.name not in keep:
            shutil.rmtree(version, ignore_errors=True)


def publish_snapshot(warehouse: Path, bi_dir: Path, *, schemas: tuple[str, ...] = PUBLISHED_SCHEMAS) -> Snapshot:
    """Copy every table of `schemas` in `warehouse` to `bi_dir`, swapping the new copy in atomically.

    The DuckDB copy keeps the schemas (`marts.fct_orders`); Parquet files are named by table alone,
    as table names are unique across the published schemas.
    """
    snapshot_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    bi_dir.mkdir(parents=True, exist_ok=True)
    versions_dir = bi_dir / PARQUET_VERSIONS
    version_dir = versions_dir / snapshot_id
    version_dir.mkdir(parents=True)
    database = bi_dir / BI_DATABASE_NAME
    staging_db = bi_dir / f".{BI_DATABASE_NAME}.tmp-{snapshot_id}"

    rows: dict[str, int] = {}
    with duckdb.connect(str(warehouse)) as con:
        tables = published_tables(con, schemas)
        if not tables:
            raise RuntimeError(f"No tables in schemas {list(schemas)} of {warehouse}: did dbt build the marts?")
        con.execute(f"attach {_literal(staging_db)} as bi_snapshot")
        try:
            for schema in sorted({schema for schema, _ in tables}):
                con.execute(f"create schema bi_snapshot.{_quote(schema)}")
            for schema, table in tables:
                source = f"{_quote(schema)}.{_quote(table)}"
                con.execute(f"create table bi_snapshot.{source} as select * from {source}")
                con.execute(f"copy {source} to {_literal(version_dir / f'{table}.parquet')} (format parquet)")
                rows[table] = con.execute(f"select count(*) from {source}").fetchone()[0]
            con.execute("checkpoint bi_snapshot")
        finally:
            con.execute("detach bi_snapshot")

    staging_db.replace(database)
    _swap_symlink(bi_dir / PARQUET_LINK, f"{PARQUET_VERSIONS}/{snapshot_id}")
    kept = sorted(v.name for v in versions_dir.iterdir())[-KEEP_VERSIONS:]
    _prune_versions(versions_dir, kept)

    manifest = {"snapshot_id": snapshot_id, "schemas": list(schemas), "rows": rows}
    staging_manifest = bi_dir / f".{MANIFEST_NAME}.tmp-{snapshot_id}"
    staging_manifest.write_text(json.dumps(manifest, indent=2) + "\n")
    staging_manifest.replace(bi_dir / MANIFEST_NAME)
    return Snapshot(snapshot_id, database, bi_dir / PARQUET_LINK, rows)
