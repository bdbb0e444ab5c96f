"""Small, valid source CSVs made from the contract, for tests that must not wait for the generator."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

from shop_contract import DATE_FORMAT, TABLES, TIMESTAMP_FORMAT, Column, ColumnType, Table

START = datetime(2026, 1, 1, 8, 0, 0)


def value(column: Column, row: int) -> str:
    name = column.name
    match column.type:
        case ColumnType.BIGINT:
            return str(row + 1)
        case ColumnType.INTEGER:
            return str(row % 5 + 1)
        case ColumnType.MONEY:
            return f"{(row * 37) % 1000 + 0.99:.2f}"
        case ColumnType.DATE:
            return (date(1990, 1, 1) + timedelta(days=row * 3)).strftime(DATE_FORMAT)
        case ColumnType.TIMESTAMP:
            return (START + timedelta(minutes=row * 7)).strftime(TIMESTAMP_FORMAT)
        case ColumnType.VARCHAR:
            text = f"{name} {row}" if row % 4 else f'{name}, "quoted"'
            return text[: column.max_length]  # Redshift's VARCHAR(n) refuses longer values
    raise AssertionError(column.type)


def rows(table: Table, count: int) -> list[list[str]]:
    return [[value(column, row) for column in table.columns] for row in range(count)]


def write_table(folder: Path, table: Table, count: int) -> Path:
    path = folder / f"{table.name}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(table.column_names)
        writer.writerows(rows(table, count))
    return path


def write_batch(folder: Path, count: int = 20) -> Path:
    """Every contract table with `count` rows (the tables differ by a few rows so counts are telling)."""
    folder.mkdir(parents=True, exist_ok=True)
    for index, table in enumerate(TABLES):
        write_table(folder, table, count + index)
    return folder
