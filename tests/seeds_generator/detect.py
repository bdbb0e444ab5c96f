"""Independent detection of dirty rows in written CSVs, with DuckDB and plain byte counting.

Nothing here uses the generator's own counters: these are the checks a data engineer would write
against the raw files, and the truth file must agree with them exactly.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import numpy as np
import pyarrow.csv as csv

from shop_contract import TABLES

EMAIL_PATTERN = r"^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$"


def connect(folder: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one all-text view per raw file (what the file says, not what it means)."""
    con = duckdb.connect()
    for table in TABLES:
        path = str(folder / f"{table.name}.csv").replace("'", "''")
        con.execute(f"create view {table.name} as select * from read_csv('{path}', header=true, all_varchar=true)")
    return con


def duplicate_rows(folder: Path, table: str) -> int:
    """Lines that repeat an earlier line byte for byte."""
    lines = (folder / f"{table}.csv").read_bytes().splitlines()[1:]
    return sum(count - 1 for count in Counter(lines).values())


def late_rows(folder: Path, table: str, column: str) -> int:
    """Rows whose date is older than a row written before them: they came in a later day's extract."""
    values = csv.read_csv(folder / f"{table}.csv").column(column).to_numpy().astype("datetime64[D]").astype(np.int64)
    running_max = np.maximum.accumulate(values)
    return int((values[1:] < running_max[:-1]).sum())


def count(con: duckdb.DuckDBPyConnection, table: str, condition: str) -> int:
    return con.execute(f"select count(*) from {table} where {condition}").fetchone()[0]


def detect(folder: Path) -> dict[tuple[str, str, str | None], int]:
    """Every defect target of the contract, counted from the files alone."""
    con = connect(folder)
    found = {("duplicate_row", table.name, None): duplicate_rows(folder, table.name) for table in TABLES}
    for table, column in [
        ("customers", "first_name"),
        ("customers", "last_name"),
        ("customers", "city"),
        ("products", "product_name"),
        ("products", "brand"),
    ]:
        found[("whitespace_noise", table, column)] = count(con, table, f"{column} <> trim({column})")
    for table, column in [
        ("customers", "email"),
        ("products", "category"),
        ("orders", "status"),
        ("orders", "payment_method"),
    ]:
        found[("case_noise", table, column)] = count(con, table, f"{column} <> lower({column})")
    found[("invalid_email", "customers", "email")] = count(
        con, "customers", f"email is not null and not regexp_full_match(lower(email), '{EMAIL_PATTERN}')"
    )
    found[("missing_email", "customers", "email")] = count(con, "customers", "email is null")
    for table, column in [("customers", "birth_date"), ("customers", "city"), ("products", "weight_grams")]:
        found[("missing_value", table, column)] = count(con, table, f"{column} is null")
    for table, column, parent, key in [
        ("order_items", "order_id", "orders", "order_id"),
        ("order_items", "product_id", "products", "product_id"),
        ("reviews", "order_id", "orders", "order_id"),
        ("reviews", "product_id", "products", "product_id"),
    ]:
        found[("orphan_foreign_key", table, column)] = count(
            con, table, f"{column} not in (select {key} from {parent})"
        )
    found[("out_of_range_value", "order_items", "quantity")] = count(
        con, "order_items", "not cast(quantity as integer) between 1 and 99"
    )
    found[("out_of_range_value", "reviews", "rating")] = count(
        con, "reviews", "not cast(rating as integer) between 1 and 5"
    )
    found[("late_arriving_row", "orders", None)] = late_rows(folder, "orders", "updated_at")
    found[("late_arriving_row", "order_items", None)] = late_rows(folder, "order_items", "created_at")
    return found
