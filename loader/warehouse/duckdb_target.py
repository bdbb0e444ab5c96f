"""The DuckDB warehouse: each part read by DuckDB's own CSV reader into a temporary staging table.

One transaction per table holds the staging, the append, the rejected rows and the audit row, so a
crash at any point leaves the table as it was. The connection caps DuckDB's buffer pool: left alone
it keeps every block it wrote cached (up to 80% of RAM), which would make memory grow with the batch.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from loader.errors import LoaderError, LoadFailedError, WarehouseUnreachableError
from loader.lake import Lake
from loader.manifest import Manifest, TableBatch
from loader.settings import LoaderSettings
from loader.warehouse.base import (
    RejectedRow,
    TableLoad,
    check_counts,
    check_reject_threshold,
    utc_now,
    verified_parts,
)
from loader.warehouse.duckdb_csv import read_part_sql, take_rejects
from loader.warehouse.sql import REJECTED_TABLE, LoaderSql, quote, staging_table
from shop_contract import TABLES_BY_NAME, Dialect


def connect(path: Path, memory_limit: str) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file for writing; a clear error when another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), config={"memory_limit": memory_limit})
    except duckdb.IOException as error:
        raise WarehouseUnreachableError(
            f"Cannot open {path} ({error}): DuckDB takes one writer and another process (dbt, a loader, a BI "
            "tool holding the live file) has it. Retry when it is done; BI tools should read the BI snapshot."
        ) from error


class DuckDBWarehouse:
    def __init__(self, settings: LoaderSettings) -> None:
        self.settings = settings
        self.sql = LoaderSql(Dialect.DUCKDB, settings.raw_schema)
        self.connection = connect(Path(settings.duckdb_path), settings.duckdb_memory_limit)

    def ensure_schema(self) -> None:
        for statement in self.sql.ddl():
            self.connection.execute(statement)

    def is_loaded(self, load_id: str, table: str) -> bool:
        return self.connection.execute(self.sql.is_loaded(), [load_id, table]).fetchone()[0] > 0

    def _stage(self, batch: TableBatch, lake: Lake, scratch: Path) -> tuple[int, list[RejectedRow]]:
        table = TABLES_BY_NAME[batch.table]
        staging = quote(staging_table(table))
        self.connection.execute(f"CREATE TEMP TABLE {staging} AS SELECT * FROM {self.sql.relation(table.name)} LIMIT 0")
        columns = ", ".join(quote(name) for name in table.column_names)
        staged, rejected = 0, []
        for part, path in verified_parts(batch, lake, scratch):
            read = f"INSERT INTO {staging} ({columns}) SELECT * FROM {read_part_sql(str(path), table)}"
            rows = self.connection.execute(read).fetchone()[0]
            part_rejects = take_rejects(self.connection, part.key)
            check_counts(batch.table, part.key, part.rows, rows, len(part_rejects))
            staged += rows
            rejected += part_rejects
        return staged, rejected

    def load_table(self, manifest: Manifest, batch: TableBatch, lake: Lake, started: datetime) -> TableLoad:
        table = TABLES_BY_NAME[batch.table]
        connection = self.connection
        with tempfile.TemporaryDirectory(prefix="loader-parts-") as scratch:
            connection.execute("BEGIN TRANSACTION")
            try:
                staged, rejected = self._stage(batch, lake, Path(scratch))
                connection.execute(self.sql.append(table), [manifest.load_id, utc_now()])
                if rejected:
                    self._insert_rejected(manifest.load_id, batch.table, rejected)
                check_reject_threshold(self.settings, batch.table, batch.rows, len(rejected))
                result = TableLoad.succeeded(manifest.load_id, batch, started, staged, len(rejected))
                connection.execute(self.sql.insert_audit(), list(result.audit_values()))
                connection.execute(f"DROP TABLE {quote(staging_table(table))}")
                connection.execute("COMMIT")
            except LoaderError:
                connection.execute("ROLLBACK")
                raise
            except duckdb.Error as error:
                connection.execute("ROLLBACK")
                raise LoadFailedError(
                    f"{batch.table}: DuckDB refused the load ({error}); nothing was loaded."
                ) from error
        return result

    def _insert_rejected(self, load_id: str, table: str, rejected: list[RejectedRow]) -> None:
        """In one statement from Arrow: up to the threshold's 1% of a big table, row by row would crawl."""
        file, line, column_name, raw_value, reason = (list(values) for values in zip(*rejected, strict=True))
        rows = pa.table(
            {
                "load_id": pa.array([load_id] * len(rejected), pa.string()),
                "table_name": pa.array([table] * len(rejected), pa.string()),
                "file": pa.array(file, pa.string()),
                "line": pa.array(line, pa.int64()),
                "column_name": pa.array(column_name, pa.string()),
                "raw_value": pa.array(raw_value, pa.string()),
                "reason": pa.array(reason, pa.string()),
            }
        )
        self.connection.register("loader_new_rejects", rows)
        try:
            self.connection.execute(
                f"INSERT INTO {self.sql.relation(REJECTED_TABLE)} BY NAME SELECT * FROM loader_new_rejects"
            )
        finally:
            self.connection.unregister("loader_new_rejects")

    def record(self, result: TableLoad) -> None:
        self.connection.execute(self.sql.insert_audit(), list(result.audit_values()))

    def audit_rows(self) -> list[dict]:
        names = self.sql.audit_column_names()
        return [dict(zip(names, row, strict=True)) for row in self.connection.execute(self.sql.audit_rows()).fetchall()]

    def close(self) -> None:
        self.connection.close()
