"""The PostgreSQL warehouse: parts parsed by DuckDB's reader, streamed through COPY FROM STDIN.

Parsing with the same reader as the DuckDB warehouse means PostgreSQL rejects exactly the rows DuckDB
rejects, with the same line, column and reason; PostgreSQL's own COPY would stop at the first bad row.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import duckdb
import psycopg

from loader.errors import SettingsError, WarehouseUnreachableError
from loader.manifest import Manifest, TableBatch
from loader.settings import LoaderSettings
from loader.warehouse.base import RejectedRow, check_counts
from loader.warehouse.duckdb_csv import literal, read_part_sql, take_rejects
from loader.warehouse.parts import LandedParts
from loader.warehouse.sql import quote, staging_table
from loader.warehouse.transactional import TransactionalWarehouse
from shop_contract import Dialect, Table

COPY_CHUNK = 1024 * 1024


def connect(settings: LoaderSettings) -> psycopg.Connection:
    if not settings.postgres_dsn:
        raise SettingsError("POSTGRES_DSN is not set: give the libpq connection string of the warehouse.")
    try:
        return psycopg.connect(settings.postgres_dsn)
    except psycopg.OperationalError as error:
        raise WarehouseUnreachableError(f"PostgreSQL did not accept a connection: {error}") from error


class PostgresWarehouse(TransactionalWarehouse):
    dialect = Dialect.POSTGRES

    def __init__(self, settings: LoaderSettings, connection: psycopg.Connection | None = None) -> None:
        super().__init__(settings, connection or connect(settings))

    def copy_into_staging(
        self, manifest: Manifest, batch: TableBatch, table: Table, parts: LandedParts
    ) -> list[RejectedRow]:
        columns = ", ".join(quote(name) for name in table.column_names)
        copy = f"COPY {quote(staging_table(table))} ({columns}) FROM STDIN (FORMAT csv, HEADER true)"
        rejected: list[RejectedRow] = []
        with (
            tempfile.TemporaryDirectory(prefix="loader-clean-") as folder,
            duckdb.connect(config={"memory_limit": self.settings.duckdb_memory_limit}) as reader,
        ):
            clean = Path(folder) / "clean.csv"
            cursor = self.connection.cursor()
            for part, path in parts.of(batch):
                rows = reader.execute(
                    f"COPY (SELECT * FROM {read_part_sql(str(path), table)}) TO {literal(str(clean))} "
                    "(FORMAT csv, HEADER true)"
                ).fetchone()[0]
                part_rejects = take_rejects(reader, part.key)
                check_counts(batch.table, part.key, part.rows, rows, len(part_rejects))
                with cursor.copy(copy) as stream, clean.open("rb") as source:
                    shutil.copyfileobj(source, stream, COPY_CHUNK)  # type: ignore[arg-type]
                rejected += part_rejects
        return rejected
