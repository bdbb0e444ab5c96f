"""Kill the loader at several points of a land or a load, run it again, and compare with one clean run.

The warehouse must end identical (load times aside): no duplicate, no missing row, no stray audit
row, whatever moment the process died at.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from loader.api import land_result, load_results
from loader.settings import LoaderSettings, Target
from tests.loader.conftest import warehouse_snapshot
from tests.loader.test_load_duckdb import set_field

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("crash_runner.py")
LOAD_ID = re.compile(r"\d{8}T\d{12}Z-([0-9a-f]{8})")


def normalise(snapshot: dict[str, list[tuple]]) -> dict[str, list]:
    """Load ids carry the landing time, which differs between the runs compared: keep their content hash."""

    def clean(value: object) -> object:
        return LOAD_ID.sub(r"<time>-\1", value) if isinstance(value, str) else value

    return {table: sorted(([clean(v) for v in row] for row in rows), key=repr) for table, rows in snapshot.items()}


def make_sources(base: Path) -> tuple[Path, Path]:
    """Two batches with a few uncastable rows each, so rejected rows are part of what must match."""
    from tests.loader.sample_data import write_batch

    first, second = write_batch(base / "day1", 40), write_batch(base / "day2", 30)
    set_field(first / "orders.csv", 3, "ordered_at", "2026-13-01 00:00:00")
    set_field(second / "order_items.csv", 4, "quantity", "two")
    return first, second


def settings_in(folder: Path, **changes: object) -> LoaderSettings:
    return LoaderSettings(
        lake_url=str(folder / "lake"),
        duckdb_path=folder / "warehouse.duckdb",
        loader_max_rejected_fraction=0.2,
        **changes,
    )


def environment(settings: LoaderSettings) -> dict[str, str]:
    # A killed loader cannot remove its scratch folder of inflated parts: keep it inside the test's folder.
    scratch = Path(settings.duckdb_path).parent / "scratch"
    scratch.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "TMPDIR": str(scratch),
        "PYTHONPATH": str(ROOT),
        "LAKE_URL": settings.lake_url,
        "DUCKDB_PATH": str(settings.duckdb_path),
        "LOADER_MAX_REJECTED_FRACTION": str(settings.loader_max_rejected_fraction),
        "WAREHOUSE_TARGET": str(settings.warehouse_target),
        "RAW_SCHEMA": settings.raw_schema,
    }
    if settings.postgres_dsn:
        env["POSTGRES_DSN"] = settings.postgres_dsn
    return env


def crash(settings: LoaderSettings, target: str, nth: int, *arguments: str) -> None:
    result = subprocess.run(
        [sys.executable, str(RUNNER), target, str(nth), "--", *arguments],
        env=environment(settings),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == -9, f"the tripwire {target}#{nth} was never reached: {result.stderr[-2000:]}"


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("clean")
    first, second = make_sources(folder)
    settings = settings_in(folder)
    land_result(first, settings)
    land_result(second, settings)
    load_results(settings)
    return normalise(warehouse_snapshot(settings.duckdb_path))


# (function to trip, on which call): each a different moment of the load of two batches x five tables.
LOAD_CRASH_POINTS = {
    "before the first table is staged": ("loader.warehouse.duckdb_target:DuckDBWarehouse._append_parts", 1),
    "third table appended, audit not yet written": ("loader.warehouse.duckdb_target:check_reject_threshold", 3),
    "second batch, rows and rejects in, audit row being written": ("loader.warehouse.base:TableLoad.audit_values", 7),
    "between two batches": ("loader.warehouse.duckdb_target:DuckDBWarehouse.load_table", 6),
}


@pytest.mark.parametrize("point", list(LOAD_CRASH_POINTS))
def test_a_load_killed_mid_way_then_rerun_equals_one_clean_run(point: str, tmp_path: Path, clean_run: dict):
    first, second = make_sources(tmp_path)
    settings = settings_in(tmp_path)
    land_result(first, settings)
    land_result(second, settings)
    crash(settings, *LOAD_CRASH_POINTS[point], "load")
    load_results(settings)
    assert normalise(warehouse_snapshot(settings.duckdb_path)) == clean_run


def test_a_land_killed_before_its_manifest_leaves_no_batch_and_lands_again(tmp_path: Path, clean_run: dict):
    first, second = make_sources(tmp_path)
    settings = settings_in(tmp_path)
    land_result(first, settings)
    # Parts and two Redshift manifests are in; the batch manifest (written last) never is.
    crash(settings, "loader.lake.local:LocalLake.put_bytes", 3, "land", "--source", str(second))
    assert len(list((tmp_path / "lake" / "manifests").glob("*.json"))) == 1
    load_results(settings)
    land_result(second, settings)
    load_results(settings)
    assert normalise(warehouse_snapshot(settings.duckdb_path)) == clean_run


def test_postgres_load_killed_inside_its_transaction_then_rerun(tmp_path: Path, postgres_dsn: str):
    first, second = make_sources(tmp_path)
    schema = "raw_crash"
    with psycopg.connect(postgres_dsn, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    settings = settings_in(tmp_path, warehouse_target=Target.POSTGRES, postgres_dsn=postgres_dsn, raw_schema=schema)
    land_result(first, settings)
    land_result(second, settings)
    crash(settings, "loader.warehouse.base:TableLoad.audit_values", 7, "load")
    load_results(settings)
    with psycopg.connect(postgres_dsn) as connection:
        audit = connection.execute(
            f"SELECT count(*), count(DISTINCT (load_id, table_name)), sum(rows_loaded + rows_rejected), "
            f"sum(rows_in_manifest) FROM {schema}.loader_audit"
        ).fetchone()
        loaded = sum(
            connection.execute(f"SELECT count(*) FROM {schema}.{table}").fetchone()[0]
            for table in ("customers", "products", "orders", "order_items", "reviews")
        )
        rejected = connection.execute(f"SELECT count(*) FROM {schema}.loader_rejected_rows").fetchone()[0]
    assert audit[0] == audit[1] == 10 and audit[2] == audit[3]
    assert (loaded, rejected) == (audit[3] - 2, 2)
