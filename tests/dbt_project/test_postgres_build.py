"""dbt on a real PostgreSQL 15: the same batches build the same marts as on DuckDB, to the last cent."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.dbt_project.conftest import load_batch, run_dbt

pytestmark = pytest.mark.slow

COMPARED_TABLES = (
    "marts.fct_orders",
    "marts.fct_order_items",
    "marts.fct_reviews",
    "marts.dim_customers",
    "marts.dim_products",
    "reports.rpt_data_quality_issues",
    "reports.rpt_data_quality_reconciliation",
    "reports.rpt_daily_sales_by_category_age_group",
    "reports.rpt_monthly_cohort_retention",
    "reports.rpt_product_ratings",
)
#: Columns stamped with load times, which differ between two loads of the same files.
LOAD_TIME_COLUMNS = {"source_loaded_at", "last_loaded_at"}


def libpq_env(dsn: str) -> dict[str, str]:
    """The PG* variables profiles.yml reads, from a DSN."""
    url = urlparse(dsn)
    return {
        "PGHOST": url.hostname or "127.0.0.1",
        "PGPORT": str(url.port or 5432),
        "PGUSER": url.username or "postgres",
        "PGPASSWORD": url.password or "",
        "PGDATABASE": url.path.lstrip("/"),
    }


@pytest.fixture(scope="session")
def postgres_warehouse(postgres_dsn, batches, late_changes, tmp_path_factory) -> str:
    """Both batches and the late changes loaded into PostgreSQL by the loader, then one `dbt build --target postgres`."""
    root: Path = tmp_path_factory.mktemp("postgres")
    for batch in (*batches, *late_changes):
        load_batch(batch, root / "lake", warehouse_target="postgres", postgres_dsn=postgres_dsn)
    run_dbt(["build", "--target", "postgres"], target_path=root / "target", env=libpq_env(postgres_dsn))
    return postgres_dsn


def rows_without_load_times(cursor, table: str) -> Counter:
    cursor.execute(f"select * from {table}")
    names = [column[0] for column in cursor.description]
    keep = [i for i, name in enumerate(names) if name not in LOAD_TIME_COLUMNS]
    return Counter(tuple(row[i] for i in keep) for row in cursor.fetchall())


def test_postgres_marts_equal_duckdb_marts(postgres_warehouse, incremental_warehouse):
    import duckdb
    import psycopg

    with psycopg.connect(postgres_warehouse) as pg, duckdb.connect(str(incremental_warehouse.path)) as dd:
        for table in COMPARED_TABLES:
            on_postgres = rows_without_load_times(pg.cursor(), table)
            on_duckdb = rows_without_load_times(dd.cursor(), table)
            assert on_postgres, table
            assert on_postgres == on_duckdb, f"{table} differs between PostgreSQL and DuckDB"
