"""A tiny hand-written raw batch with one row of every defect kind, for fast dbt tests.

The generator's batches are the realistic input; this one is small enough to read, so a test can state
exactly which row ends where (kept, repaired, flagged, quarantined, de-duplicated, superseded).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from loader.warehouse.sql import LoaderSql
from shop_contract import LOAD_ID_COLUMN, LOADED_AT_COLUMN, TABLES, Dialect

LOAD_1 = ("load-1", "2024-03-02 06:00:00")
LOAD_2 = ("load-2", "2024-03-03 06:00:00")

# Contract columns in file order, then the batch. Comments name the defect a row carries.
ROWS: dict[str, list[tuple]] = {
    "customers": [
        (
            1,
            "ana@example.com",
            "Ana",
            "Silva",
            "female",
            "1990-02-28",
            "Lisbon",
            "Lisboa",
            "PT",
            "organic",
            "2023-01-01 10:00:00",
            "2023-01-01 10:00:00",
            LOAD_1,
        ),
        (
            2,
            "BOB@Example.COM",
            "Bob",
            "Stone",
            "male",
            "2000-02-29",
            "Leeds",
            None,
            "GB",
            "search",
            "2023-02-01 10:00:00",
            "2023-02-01 10:00:00",
            LOAD_1,
        ),  # case_noise
        (
            3,
            "not-an-email",
            "  Cara ",
            "Diaz",
            "female",
            "1958-03-01",
            "Madrid",
            None,
            "ES",
            "social",
            "2023-03-01 10:00:00",
            "2023-03-01 10:00:00",
            LOAD_1,
        ),  # invalid_email (+ whitespace: not counted by generator)
        (
            4,
            None,
            "Dan",
            "Lee",
            "male",
            None,
            "Seoul",
            None,
            "KR",
            "email",
            "2023-04-01 10:00:00",
            "2023-04-01 10:00:00",
            LOAD_1,
        ),  # missing_email (+ missing birth date)
        (
            1,
            "ana@example.com",
            "Ana",
            "Silva",
            "female",
            "1990-02-28",
            "Porto",
            "Porto",
            "PT",
            "organic",
            "2023-01-01 10:00:00",
            "2024-03-02 12:00:00",
            LOAD_2,
        ),  # newer version of 1
    ],
    "products": [
        (
            10,
            "SKU-10",
            "Phone",
            "electronics",
            "Acme",
            100.00,
            60.00,
            200,
            "2023-01-01 00:00:00",
            "2023-01-01 00:00:00",
            LOAD_1,
        ),
        (
            11,
            "SKU-11",
            " Lamp ",
            "HOME_KITCHEN",
            "Glow",
            20.00,
            8.00,
            None,
            "2023-01-01 00:00:00",
            "2023-01-01 00:00:00",
            LOAD_1,
        ),
    ],
    "orders": [
        (
            100,
            1,
            "placed",
            "paypal",
            "2024-03-01 09:00:00",
            None,
            None,
            None,
            None,
            None,
            "2024-03-05",
            5.00,
            "2024-03-01 09:00:00",
            LOAD_1,
        ),
        (
            101,
            2,
            "delivered",
            "credit_card",
            "2024-02-20 09:00:00",
            "2024-02-20 09:05:00",
            "2024-02-21 09:00:00",
            "2024-02-26 09:00:00",
            None,
            None,
            "2024-02-24",
            0.00,
            "2024-02-26 09:00:00",
            LOAD_1,
        ),
        (
            101,
            2,
            "delivered",
            "credit_card",
            "2024-02-20 09:00:00",
            "2024-02-20 09:05:00",
            "2024-02-21 09:00:00",
            "2024-02-26 09:00:00",
            None,
            None,
            "2024-02-24",
            0.00,
            "2024-02-26 09:00:00",
            LOAD_1,
        ),  # duplicate_row
        (
            100,
            1,
            "PAID",
            "paypal",
            "2024-03-01 09:00:00",
            "2024-03-02 08:00:00",
            None,
            None,
            None,
            None,
            "2024-03-05",
            5.00,
            "2024-03-02 08:00:00",
            LOAD_2,
        ),  # newer version of 100 (+ case)
        (
            102,
            3,
            "shipped",
            "voucher",
            "2024-03-02 10:00:00",
            "2024-03-02 10:01:00",
            "2024-03-02 18:00:00",
            None,
            None,
            None,
            "2024-03-06",
            4.50,
            "2024-03-02 18:00:00",
            LOAD_2,
        ),
    ],
    "order_items": [
        (1000, 100, 10, 1, 2, 100.00, 10.00, 60.00, "2024-03-01 09:00:00", LOAD_1),
        (1001, 100, 11, 2, 1, 20.00, 0.00, 8.00, "2024-03-01 09:00:00", LOAD_1),
        (1002, 101, 11, 1, 3, 20.00, 5.00, 8.00, "2024-02-20 09:00:00", LOAD_1),
        (1003, 999, 10, 1, 1, 100.00, 0.00, 60.00, "2024-02-20 09:00:00", LOAD_1),  # orphan_foreign_key (order)
        (1004, 101, 10, 2, 0, 100.00, 0.00, 60.00, "2024-02-20 09:00:00", LOAD_1),  # out_of_range_value (quantity)
        (1002, 101, 11, 1, 3, 20.00, 5.00, 8.00, "2024-02-20 09:00:00", LOAD_2),  # duplicate_row, re-sent a day later
        (1005, 102, 10, 1, 1, 100.00, 0.00, 60.00, "2024-03-02 10:00:00", LOAD_2),
    ],
    "reviews": [
        (5000, 101, 11, 4, "Nice", None, "2024-02-27 10:00:00", LOAD_1),
        (5001, 101, 11, 9, None, None, "2024-02-27 11:00:00", LOAD_1),  # out_of_range_value (rating)
        (5002, 101, 77, 5, None, None, "2024-02-27 12:00:00", LOAD_1),  # orphan_foreign_key (product)
    ],
}

#: What the data-quality report must count for ROWS, per table: raw, clean, quarantined, duplicates, superseded.
EXPECTED_RECONCILIATION = {
    "customers": (5, 4, 0, 0, 1),
    "products": (2, 2, 0, 0, 0),
    "orders": (5, 3, 0, 1, 1),
    "order_items": (7, 4, 2, 1, 0),
    "reviews": (3, 1, 2, 0, 0),
}
#: Rows the loader rejected, per table.
EXPECTED_LOADER_REJECTS = {"reviews": 1}


def build_raw(database: Path, schema: str = "raw") -> None:
    """Create `schema`'s raw tables from the contract in a DuckDB file and insert ROWS.

    The loader's own tables come from the loader's DDL, with one row it could not cast.
    """
    with duckdb.connect(str(database)) as con:
        con.execute(f"create schema if not exists {schema}")
        loader_sql = LoaderSql(Dialect.DUCKDB, schema)
        con.execute(loader_sql.create_audit_table())
        con.execute(loader_sql.create_rejected_table())
        con.execute(
            loader_sql.insert_rejected(),
            ["load-2", "reviews", "lake/raw/reviews/load_id=load-2/part-0000.csv.gz", 5, "rating", "five", "integer"],
        )
        con.execute(
            loader_sql.insert_audit(),
            ["load-2", "reviews", 1, 4, 3, 1, "succeeded", LOAD_2[1], LOAD_2[1], None],
        )
        for table in TABLES:
            columns = [f"{c.name} {c.sql_type(Dialect.DUCKDB)}" for c in table.columns]
            columns += [f"{LOAD_ID_COLUMN} varchar", f"{LOADED_AT_COLUMN} timestamp"]
            con.execute(f"create or replace table {schema}.{table.name} ({', '.join(columns)})")
            placeholders = ", ".join("?" for _ in range(len(table.columns) + 2))
            con.executemany(
                f"insert into {schema}.{table.name} values ({placeholders})",
                [(*row[:-1], *row[-1]) for row in ROWS[table.name]],
            )
