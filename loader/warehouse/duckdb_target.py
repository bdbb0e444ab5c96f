"""The DuckDB warehouse: each part read by DuckDB's own CSV reader straight into its raw table.

Parts arrive inflated (`LandedParts`), so DuckDB splits each one across all its threads. One
transaction per table holds the appends, the rejected rows and the audit row: a count that does not
reconcile rolls the whole table back, and a crash at any point leaves it as it was. So DuckDB needs
no staging copy, which would cost a second write of every row.

The connection caps DuckDB's buffer pool: left alone it keeps every block it wrote cached (up to 80%
of RAM), which would make memory grow with the batch. It also lets each thread append its share of a
part without waiting for the rows before it (`preserve_insertion_order` off): a raw table's row order
means nothing (every reader orders by its columns), and the appends take about 15% less time.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from loader.errors import LoaderError, LoadFailedError, WarehouseUnreachableError
from loader.manifest import Manifest, TableBatch
from loader.settings import LoaderSettings
from loader.warehouse.base import (
    RejectedRow,
    TableLoad,
    check_counts,
    check_reject_threshold,
    utc_now,
)
from loader.warehouse.duckdb_csv import read_part_sql, take_rejects
from loader.warehouse.parts import LandedParts
from loader.warehouse.sql import REJECTED_TABLE, LoaderSql
from shop_contract import TABLES_BY_NAME, Dialect


def connect(path: Path, memory_limit: str) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file for writing; a clear error when another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), config={"memory_limit": memory_limit, "preserve_insertion_order": False})
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

    def _append_parts(self, load_id: str, batch: TableBatch, parts: LandedParts) -> tuple[int, list[RejectedRow]]:
        """Append each part's castable rows to the raw table; check each part's count against the manifest."""
        table = TABLES_BY_NAME[batch.table]
        loaded_at = utc_now()
        appended, rejected = 0, []
        for part, path in parts.of(batch):
            append = self.sql.append(table, read_part_sql(str(path), table))
            ((rows,),) = self.connection.execute(append, [load_id, loaded_at]).fetchall()
            part_rejects = take_rejects(self.connection, part.key)
            check_counts(batch.table, part.key, part.rows, rows, len(part_rejects))
            appended += rows
            rejected += part_rejects
        # Count what the table holds, not only what the statements said: an engine bug that drops rows
        # (DuckDB 2.0.0 appends nothing from a temporary table made by CREATE TABLE AS once it holds about
        # 115,000 rows) must fail the load, never end in a `succeeded` audit row.
        ((present,),) = self.connection.execute(self.sql.count_loaded(table), [load_id]).fetchall()
        check_counts(batch.table, f"raw.{batch.table}", batch.rows, present, len(rejected))
        return appended, rejected

    def load_table(self, manifest: Manifest, batch: TableBatch, parts: LandedParts, started: datetime) -> TableLoad:
        connection = self.connection
        connection.execute("BEGIN TRANSACTION")
        try:
            loaded, rejected = self._append_parts(manifest.load_id, batch, parts)
            if rejected:
                self._insert_rejected(manifest.load_id, batch.table, rejected)
            check_reject_threshold(self.settings, batch.table, batch.rows, len(rejected))
            result = TableLoad.succeeded(manifest.load_id, batch, started, loaded, len(rejected))
            connection.execute(self.sql.insert_audit(), list(result.audit_values()))
            connection.execute("COMMIT")
        except LoaderError:
            connection.execute("ROLLBACK")
            raise
        except duckdb.Error as error:
            connection.execute("ROLLBACK")
            raise LoadFailedError(f"{batch.table}: DuckDB refused the load ({error}); nothing was loaded.") from error
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
