"""The loader's SQL, written once for every warehouse: DDL from the contract, audit, staging and append.

Only three things differ by dialect: the column types (`Column.sql_type`), the parameter marker
(DuckDB's `?`, `%s` for psycopg and redshift_connector) and the length of the loader's own text
columns (Redshift's VARCHAR defaults to 256 bytes; elsewhere text has no length).
"""

from __future__ import annotations

from shop_contract import LOAD_ID_COLUMN, LOADED_AT_COLUMN, TABLES, Dialect, Table

AUDIT_TABLE = "loader_audit"
REJECTED_TABLE = "loader_rejected_rows"

# The loader's own columns: (name, type, Redshift length for text).
AUDIT_COLUMNS = (
    ("load_id", "varchar", 64),
    ("table_name", "varchar", 128),
    ("files", "integer", None),
    ("rows_in_manifest", "bigint", None),
    ("rows_loaded", "bigint", None),
    ("rows_rejected", "bigint", None),
    ("status", "varchar", 16),
    ("started_at", "timestamp", None),
    ("finished_at", "timestamp", None),
    ("error", "varchar", 4096),
)
REJECTED_COLUMNS = (
    ("load_id", "varchar", 64),
    ("table_name", "varchar", 128),
    ("file", "varchar", 1024),
    ("line", "bigint", None),
    ("column_name", "varchar", 128),
    ("raw_value", "varchar", 65535),
    ("reason", "varchar", 1024),
)
LOAD_COLUMNS = ((LOAD_ID_COLUMN, "varchar", 64), (LOADED_AT_COLUMN, "timestamp", None))


def quote(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def staging_table(table: Table) -> str:
    return f"stg_{table.name}"


class LoaderSql:
    def __init__(self, dialect: Dialect | str, schema: str = "raw") -> None:
        self.dialect = Dialect(dialect)
        self.schema = schema
        self.marker = "?" if self.dialect is Dialect.DUCKDB else "%s"

    def relation(self, name: str) -> str:
        return f"{quote(self.schema)}.{quote(name)}"

    def _type(self, sql_type: str, length: int | None) -> str:
        return f"{sql_type}({length})" if length and self.dialect is Dialect.REDSHIFT else sql_type

    def _create(self, name: str, columns: list[tuple[str, str]]) -> str:
        body = ",\n".join(f"    {quote(column)} {sql_type}" for column, sql_type in columns)
        return f"CREATE TABLE IF NOT EXISTS {self.relation(name)} (\n{body}\n)"

    def _own(self, columns: tuple[tuple[str, str, int | None], ...]) -> list[tuple[str, str]]:
        return [(name, self._type(sql_type, length)) for name, sql_type, length in columns]

    def create_schema(self) -> str:
        return f"CREATE SCHEMA IF NOT EXISTS {quote(self.schema)}"

    def create_raw_table(self, table: Table) -> str:
        columns = [(column.name, column.sql_type(self.dialect)) for column in table.columns]
        return self._create(table.name, columns + self._own(LOAD_COLUMNS))

    def create_audit_table(self) -> str:
        return self._create(AUDIT_TABLE, self._own(AUDIT_COLUMNS))

    def create_rejected_table(self) -> str:
        return self._create(REJECTED_TABLE, self._own(REJECTED_COLUMNS))

    def ddl(self) -> list[str]:
        """Every statement that creates the raw schema, in order."""
        raw = [self.create_raw_table(table) for table in TABLES]
        return [self.create_schema(), *raw, self.create_audit_table(), self.create_rejected_table()]

    def _insert(self, name: str, columns: tuple[tuple[str, str, int | None], ...]) -> str:
        names = ", ".join(column for column, _, _ in columns)
        return f"INSERT INTO {self.relation(name)} ({names}) VALUES ({', '.join([self.marker] * len(columns))})"

    def insert_audit(self) -> str:
        return self._insert(AUDIT_TABLE, AUDIT_COLUMNS)

    def insert_rejected(self) -> str:
        return self._insert(REJECTED_TABLE, REJECTED_COLUMNS)

    def is_loaded(self) -> str:
        return (
            f"SELECT count(*) FROM {self.relation(AUDIT_TABLE)} WHERE load_id = {self.marker} "
            f"AND table_name = {self.marker} AND status = 'succeeded'"
        )

    def audit_rows(self) -> str:
        names = ", ".join(self.audit_column_names())
        return (
            f"SELECT {names} FROM {self.relation(AUDIT_TABLE)} ORDER BY coalesce(finished_at, started_at), started_at"
        )

    def audit_column_names(self) -> tuple[str, ...]:
        return tuple(column for column, _, _ in AUDIT_COLUMNS)

    def create_staging(self, table: Table) -> str:
        """A temporary table shaped like the raw table (PostgreSQL and Redshift both take LIKE)."""
        return f"CREATE TEMP TABLE {quote(staging_table(table))} (LIKE {self.relation(table.name)})"

    def append(self, table: Table, source: str | None = None) -> str:
        """Append the rows of `source` (by default the staging table) with their load id and load time (two
        parameters)."""
        columns = ", ".join(quote(name) for name in table.column_names)
        target = ", ".join(quote(name) for name in (*table.column_names, LOAD_ID_COLUMN, LOADED_AT_COLUMN))
        return (
            f"INSERT INTO {self.relation(table.name)} ({target})\n"
            f"SELECT {columns}, {self.marker}, {self.marker}\n"
            f"FROM {source or quote(staging_table(table))}"
        )

    def count_loaded(self, table: Table) -> str:
        """The rows of one load id in a raw table (one parameter)."""
        return f"SELECT count(*) FROM {self.relation(table.name)} WHERE {quote(LOAD_ID_COLUMN)} = {self.marker}"

    def lock_audit(self) -> str:
        return f"LOCK {self.relation(AUDIT_TABLE)}"
