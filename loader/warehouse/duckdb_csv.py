"""Read one inflated part with DuckDB's CSV reader, typed by the contract, setting aside what cannot be cast.

DuckDB and PostgreSQL both stage through this reader, so both reject exactly the same rows. Rows
that do not cast are kept out of the result by `store_rejects` and come back as `RejectedRow`s with
the line (the header is line 1; a quoted value spanning lines counts once), column, raw value and reason.
"""

from __future__ import annotations

import csv

import duckdb

from loader.warehouse.base import RejectedRow
from shop_contract import DATE_FORMAT, TIMESTAMP_FORMAT, Table

REJECTS_TABLE = "loader_reject_errors"
REJECTS_SCAN = "loader_reject_scans"


def literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def read_part_sql(path: str, table: Table) -> str:
    """A `read_csv` call that yields the castable rows of a plain CSV part in the contract's column order and types."""
    columns = ", ".join(f"{literal(c.name)}: {literal(c.sql_type('duckdb'))}" for c in table.columns)
    # hive_partitioning off: the lake's `load_id=<id>/` folders would otherwise become an extra column.
    return (
        f"read_csv({literal(path)}, header = true, auto_detect = false, hive_partitioning = false, columns = {{{columns}}}, "
        f"delim = ',', quote = '\"', escape = '\"', dateformat = {literal(DATE_FORMAT)}, "
        f"timestampformat = {literal(TIMESTAMP_FORMAT)}, compression = 'none', "
        f"store_rejects = true, rejects_table = {literal(REJECTS_TABLE)}, rejects_scan = {literal(REJECTS_SCAN)})"
    )


def _field(csv_line: str | None, index: int | None) -> str | None:
    if csv_line is None or not index:
        return None
    fields = next(csv.reader([csv_line]), [])
    return fields[index - 1] if index <= len(fields) else None


def take_rejects(connection: duckdb.DuckDBPyConnection, file: str) -> list[RejectedRow]:
    """The rows the last `read_part_sql` scan set aside (one per row, its first error), then forget them."""
    found = connection.execute(
        f"SELECT line, column_idx, column_name, error_type, error_message, csv_line FROM {REJECTS_TABLE} "
        "ORDER BY line, column_idx"
    ).fetchall()
    connection.execute(f"DELETE FROM {REJECTS_TABLE}")
    connection.execute(f"DELETE FROM {REJECTS_SCAN}")
    rejected: dict[int, RejectedRow] = {}
    for line, column_idx, column_name, error_type, message, csv_line in found:
        if line not in rejected:
            rejected[line] = RejectedRow(
                file, line, column_name, _field(csv_line, column_idx), f"{error_type}: {message}"
            )
    return list(rejected.values())
