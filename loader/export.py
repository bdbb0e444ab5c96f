"""Export every table of the `marts` schema to CSV and Parquet, each written under a temporary name first.

Readers of `exports/` (spreadsheets, other tools) never see a half-written file: a file appears
complete or keeps its previous version. The database is opened read-only, so a BI snapshot works too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from loader.errors import UsageError, WarehouseUnreachableError
from loader.warehouse.duckdb_csv import literal
from loader.warehouse.sql import quote

MARTS_SCHEMA = "marts"


@dataclass(frozen=True)
class ExportedTable:
    table: str
    rows: int
    csv: Path
    csv_bytes: int
    parquet: Path
    parquet_bytes: int


def _write(connection: duckdb.DuckDBPyConnection, relation: str, target: Path, options: str) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    connection.execute(f"COPY (SELECT * FROM {relation}) TO {literal(str(temporary))} ({options})")
    temporary.replace(target)
    return target.stat().st_size


def export_marts(database: Path, out_dir: Path) -> list[ExportedTable]:
    """Write `out_dir/csv/<table>.csv` and `out_dir/parquet/<table>.parquet` for every mart table."""
    if not Path(database).exists():
        raise UsageError(f"{database} does not exist: build the marts first (`make run`) or pass --database.")
    try:
        connection = duckdb.connect(str(database), read_only=True)
    except duckdb.IOException as error:
        raise WarehouseUnreachableError(
            f"Cannot open {database} ({error}): a writer (dbt, the loader) holds it. Export from the BI snapshot "
            "instead (--database warehouse/bi/ecommerce_bi.duckdb) or retry when the build is done."
        ) from error
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name",
                [MARTS_SCHEMA],
            ).fetchall()
        ]
        if not tables:
            raise UsageError(f"{database} has no table in schema {MARTS_SCHEMA!r}: run dbt build first.")
        exported = []
        for table in tables:
            relation = f"{quote(MARTS_SCHEMA)}.{quote(table)}"
            rows = connection.execute(f"SELECT count(*) FROM {relation}").fetchone()[0]
            csv_path, parquet_path = out_dir / "csv" / f"{table}.csv", out_dir / "parquet" / f"{table}.parquet"
            csv_bytes = _write(connection, relation, csv_path, "FORMAT csv, HEADER true")
            parquet_bytes = _write(connection, relation, parquet_path, "FORMAT parquet, COMPRESSION zstd")
            exported.append(ExportedTable(table, rows, csv_path, csv_bytes, parquet_path, parquet_bytes))
        return exported
    finally:
        connection.close()
