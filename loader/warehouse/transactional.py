"""The load transaction PostgreSQL and Redshift share; only how rows reach the staging table differs.

Per table: a temporary staging table, the rows copied into it, the count checked against the manifest,
then `LOCK` the audit table, check again that no other loader got there first, append, write the
rejected rows and the audit row, `COMMIT`. The lock makes two loaders running at once safe: the
second waits, then finds the table loaded and skips it. The statements are plain DB-API calls, so
the same code drives psycopg (PostgreSQL, and Redshift's logic in tests) and redshift_connector.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from typing import Any, ClassVar

from loader.errors import LoaderError, LoadFailedError
from loader.manifest import Manifest, TableBatch
from loader.settings import LoaderSettings
from loader.warehouse.base import RejectedRow, TableLoad, check_counts, check_reject_threshold, utc_now
from loader.warehouse.parts import LandedParts
from loader.warehouse.sql import LoaderSql, quote, staging_table
from shop_contract import TABLES_BY_NAME, Dialect, Table


class TransactionalWarehouse(ABC):
    """A DB-API warehouse; subclasses fill the staging table in `copy_into_staging`."""

    dialect: ClassVar[Dialect]

    def __init__(self, settings: LoaderSettings, connection: Any) -> None:
        self.settings = settings
        self.connection = connection
        self.sql = LoaderSql(self.dialect, settings.raw_schema)

    def _fetch(self, statement: str, parameters: tuple | None = None) -> list[tuple]:
        cursor = self.connection.cursor()
        cursor.execute(statement, parameters)
        return cursor.fetchall()

    def ensure_schema(self) -> None:
        cursor = self.connection.cursor()
        for statement in self.sql.ddl():
            cursor.execute(statement)
        self.connection.commit()

    def is_loaded(self, load_id: str, table: str) -> bool:
        loaded = self._fetch(self.sql.is_loaded(), (load_id, table))[0][0] > 0
        self.connection.commit()  # end the read's transaction: the load opens its own
        return loaded

    @abstractmethod
    def copy_into_staging(
        self, manifest: Manifest, batch: TableBatch, table: Table, parts: LandedParts
    ) -> list[RejectedRow]:
        """Fill the staging table with the batch's rows; return the rows set aside."""

    def staged_rows(self, table: Table) -> int:
        return self._fetch(f"SELECT count(*) FROM {quote(staging_table(table))}")[0][0]

    def load_table(self, manifest: Manifest, batch: TableBatch, parts: LandedParts, started: datetime) -> TableLoad:
        table = TABLES_BY_NAME[batch.table]
        cursor = self.connection.cursor()
        try:
            cursor.execute(self.sql.create_staging(table))
            rejected = self.copy_into_staging(manifest, batch, table, parts)
            staged = self.staged_rows(table)
            check_counts(batch.table, "the staging table", batch.rows, staged, len(rejected))
            check_reject_threshold(self.settings, batch.table, batch.rows, len(rejected))
            cursor.execute(self.sql.lock_audit())
            cursor.execute(self.sql.is_loaded(), (manifest.load_id, batch.table))
            if cursor.fetchone()[0] > 0:  # another loader committed it while this one staged
                self.connection.rollback()
                return TableLoad(manifest.load_id, batch.table, "skipped", len(batch.parts), batch.rows)
            cursor.execute(self.sql.append(table), (manifest.load_id, utc_now()))
            if rejected:
                cursor.executemany(self.sql.insert_rejected(), [(manifest.load_id, batch.table, *r) for r in rejected])
            result = TableLoad.succeeded(manifest.load_id, batch, started, staged, len(rejected))
            cursor.execute(self.sql.insert_audit(), result.audit_values())
            cursor.execute(f"DROP TABLE {quote(staging_table(table))}")
            self.connection.commit()
        except LoaderError:
            self.connection.rollback()
            raise
        except Exception as error:  # the driver's own errors: psycopg.Error, redshift_connector.Error, ...
            self.connection.rollback()
            raise LoadFailedError(
                f"{batch.table}: the {self.dialect} warehouse refused the load ({error}); nothing was loaded."
            ) from error
        return result

    def record(self, result: TableLoad) -> None:
        cursor = self.connection.cursor()
        cursor.execute(self.sql.insert_audit(), result.audit_values())
        self.connection.commit()

    def audit_rows(self) -> list[dict]:
        names = self.sql.audit_column_names()
        rows = self._fetch(self.sql.audit_rows())
        self.connection.commit()
        return [dict(zip(names, row, strict=True)) for row in rows]

    def close(self) -> None:
        self.connection.close()
