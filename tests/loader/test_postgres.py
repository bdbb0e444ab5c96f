"""Loading into a real PostgreSQL server: COPY FROM STDIN, the shared transaction, the same rows as DuckDB."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from loader.api import load_results
from loader.lake.local import LocalLake
from loader.landing import land
from loader.settings import LoaderSettings, Target
from shop_contract import TABLES
from tests.loader.test_load_duckdb import query, set_field

pytestmark = pytest.mark.slow


@pytest.fixture
def pg_settings(postgres_dsn: str, settings: LoaderSettings, request: pytest.FixtureRequest) -> LoaderSettings:
    """A fresh schema per test in the session's server, so tests do not see each other's loads."""
    schema = "raw_" + request.node.name.removeprefix("test_")[:40]
    with psycopg.connect(postgres_dsn, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    return settings.model_copy(
        update={"warehouse_target": Target.POSTGRES, "postgres_dsn": postgres_dsn, "raw_schema": schema}
    )


def pg_rows(settings: LoaderSettings, sql: str) -> list[tuple]:
    with psycopg.connect(settings.postgres_dsn) as connection:
        return connection.execute(sql.replace("raw.", f'"{settings.raw_schema}".')).fetchall()


def test_postgres_holds_exactly_what_duckdb_holds(source_dir: Path, pg_settings: LoaderSettings, settings):
    set_field(source_dir / "orders.csv", 4, "paid_at", "not a time")
    set_field(source_dir / "products.csv", 2, "weight_grams", "1.5kg")
    lenient = {"loader_max_rejected_fraction": 0.5}
    load_id = land(source_dir, LocalLake(settings.lake_url), settings).load_id
    pg_results = load_results(pg_settings.model_copy(update=lenient))
    duck_results = load_results(settings.model_copy(update=lenient))
    assert [(r.table, r.rows_loaded, r.rows_rejected) for r in pg_results] == [
        (r.table, r.rows_loaded, r.rows_rejected) for r in duck_results
    ]
    for table in TABLES:
        columns = ", ".join(f'"{name}"' for name in (*table.column_names, "_load_id"))
        ordered = f"SELECT {columns} FROM raw.{table.name} ORDER BY 1"
        assert pg_rows(pg_settings, ordered) == query(settings, ordered), table.name
    assert pg_rows(pg_settings, "SELECT list_price FROM raw.products WHERE product_id = 2") == [(Decimal("37.99"),)]
    rejected = "SELECT load_id, table_name, file, line, column_name, raw_value FROM raw.loader_rejected_rows ORDER BY 2"
    assert pg_rows(pg_settings, rejected) == query(settings, rejected)
    assert [row[0] for row in pg_rows(pg_settings, rejected)] == [load_id, load_id]
    audit = "SELECT count(*) FROM raw.loader_audit WHERE rows_in_manifest = rows_loaded + rows_rejected"
    assert pg_rows(pg_settings, audit) == [(len(TABLES),)]


def test_postgres_load_twice_is_a_no_op(source_dir: Path, pg_settings: LoaderSettings):
    land(source_dir, LocalLake(pg_settings.lake_url), pg_settings)
    load_results(pg_settings)
    before = pg_rows(pg_settings, "SELECT count(*), count(DISTINCT _loaded_at) FROM raw.order_items")
    assert {r.status for r in load_results(pg_settings)} == {"skipped"}
    assert pg_rows(pg_settings, "SELECT count(*), count(DISTINCT _loaded_at) FROM raw.order_items") == before
    assert pg_rows(pg_settings, "SELECT count(*) FROM raw.loader_audit") == [(len(TABLES),)]


def test_a_failed_postgres_table_is_rolled_back_and_audited(source_dir: Path, pg_settings: LoaderSettings):
    for line in range(2, 10):
        set_field(source_dir / "reviews.csv", line, "created_at", "soon")
    land(source_dir, LocalLake(pg_settings.lake_url), pg_settings)
    with pytest.raises(Exception, match="reviews: 8 of 24 rows"):
        load_results(pg_settings)
    assert pg_rows(pg_settings, "SELECT count(*) FROM raw.reviews") == [(0,)]
    assert pg_rows(pg_settings, "SELECT table_name, status FROM raw.loader_audit WHERE status = 'failed'") == [
        ("reviews", "failed")
    ]
    assert pg_rows(pg_settings, "SELECT count(*) FROM raw.order_items") == [(23,)]
