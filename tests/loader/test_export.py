"""`loader export`: every mart table to CSV and Parquet, complete files only."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from loader.errors import UsageError
from loader.export import export_marts
from tests.loader.test_cli import loader


@pytest.fixture
def marts_db(tmp_path: Path) -> Path:
    path = tmp_path / "bi.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE SCHEMA marts")
        connection.execute(
            "CREATE TABLE marts.fct_orders AS SELECT range AS order_id, range * 1.5::decimal(12,2) AS revenue, "
            "'2026-01-01'::date + range::int AS order_date FROM range(1000)"
        )
        connection.execute("CREATE TABLE marts.dim_customers AS SELECT 1 AS customer_id, 'a, \"b\"' AS name")
        connection.execute("CREATE TABLE main.not_a_mart AS SELECT 1 AS x")
    return path


def test_export_writes_csv_and_parquet_for_every_mart(marts_db: Path, tmp_path: Path):
    out = tmp_path / "exports"
    exported = export_marts(marts_db, out)
    assert [item.table for item in exported] == ["dim_customers", "fct_orders"]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "csv",
        "csv/dim_customers.csv",
        "csv/fct_orders.csv",
        "parquet",
        "parquet/dim_customers.parquet",
        "parquet/fct_orders.parquet",
    ]
    assert pq.read_table(out / "parquet" / "fct_orders.parquet").num_rows == 1000
    assert (out / "csv" / "dim_customers.csv").read_text() == 'customer_id,name\n1,"a, ""b"""\n'
    exported_again = export_marts(marts_db, out)  # replaces the files in place
    assert [item.rows for item in exported_again] == [1, 1000]


def test_export_cli_prints_a_summary_and_refuses_a_missing_database(marts_db: Path, tmp_path: Path):
    result = loader("export", "--database", str(marts_db), "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "exported 2 tables, 1,001 rows" in result.stderr
    assert (tmp_path / "out" / "parquet" / "dim_customers.parquet").exists()
    assert loader("export", "--database", "missing.duckdb", cwd=tmp_path).returncode == 2
    with pytest.raises(UsageError):
        export_marts(tmp_path / "missing.duckdb", tmp_path / "x")


def test_export_says_what_to_do_when_a_writer_holds_the_database(marts_db: Path, tmp_path: Path):
    with duckdb.connect(str(marts_db)):  # this process now holds DuckDB's write lock, as dbt would
        busy = loader("export", "--database", str(marts_db), "--out", "out", cwd=tmp_path)
    assert busy.returncode == 1 and "BI snapshot" in busy.stderr
    assert not (tmp_path / "out").exists()
