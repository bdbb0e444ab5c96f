"""Fixtures of the dbt project's tests: generated batches loaded by the real loader, and dbt run in-process.

Every warehouse and dbt target folder lives in a temporary directory of its own, so these tests never
touch `warehouse/` or `dbt_project/target` and can run beside other suites.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROJECT_DIR = REPO / "dbt_project"
PROFILES_DIR = REPO / "profiles"

#: Small enough for 2 busy cores, big enough that every defect kind shows up in every batch.
TEST_SCALE = 0.3
#: Two batches: days 1-20 build the warehouse, days 21-30 exercise the incremental models.
FIRST_DAYS, SECOND_DAYS = 20, 10
START_DATE = "2025-01-01"
SECOND_START_DATE = "2025-01-21"

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


class DbtError(AssertionError):
    """A dbt command failed; the message names the failing nodes."""


@contextlib.contextmanager
def environment(**values: str) -> Iterator[None]:
    """Set env vars for the duration (dbt renders env_var() in profiles.yml at each invocation)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def release_duckdb() -> None:
    """Close the DuckDB connection dbt-duckdb keeps for the process after a run.

    DuckDB lets one process hold a file, and only with one configuration: left open, it would stop the
    loader (and read-only queries) from opening the warehouse between dbt runs. There is no public API
    for this; dbt-duckdb's own `close_all_connections` drops the reference without closing it.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


def run_dbt(args: list[str], *, target_path: Path, env: dict[str, str], project_dir: Path = PROJECT_DIR):
    """`dbt <args>` in-process against `project_dir`; raises DbtError naming each failed node."""
    from dbt.cli.main import dbtRunner

    full_args = [
        *args,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(PROFILES_DIR),
        "--target-path",
        str(target_path),
        "--log-path",
        str(target_path / "logs"),
    ]
    with environment(**env):
        try:
            result = dbtRunner().invoke(full_args)
        finally:
            release_duckdb()
    if result.exception is not None:
        raise DbtError(f"dbt {' '.join(args)} could not run: {result.exception}")
    failures = [
        f"{r.node.resource_type} {r.node.name}: {r.status} {r.message}"
        for r in (getattr(result.result, "results", None) or [])
        if str(r.status) in {"fail", "error", "runtime error"}
    ]
    if failures or not result.success:
        raise DbtError(f"dbt {' '.join(args)} failed:\n" + "\n".join(failures))
    return result


@dataclass(frozen=True)
class Batch:
    """A generated batch: its CSV folder and the generator's truth (`_generation.json`)."""

    folder: Path
    truth: dict


@dataclass(frozen=True)
class Warehouse:
    """A DuckDB warehouse with a dbt target folder of its own."""

    path: Path
    target_path: Path

    @property
    def env(self) -> dict[str, str]:
        return {"DUCKDB_PATH": str(self.path)}

    def dbt(self, *args: str):
        return run_dbt(list(args), target_path=self.target_path, env=self.env)

    def query(self, sql: str) -> list[tuple]:
        import duckdb

        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute(sql).fetchall()


def load_batch(batch: Batch, lake: Path, **warehouse: object) -> None:
    """Land and load a batch with the real loader (`warehouse`: duckdb_path=..., or postgres settings)."""
    from loader.api import land_result, load_results
    from loader.settings import get_settings

    settings = get_settings(lake_url=str(lake), **warehouse)
    land_result(batch.folder, settings)
    load_results(settings)


@pytest.fixture(scope="session")
def batches(tmp_path_factory) -> tuple[Batch, Batch]:
    """Days 1-20 and days 21-30 of a generated shop, dirty by design."""
    from seeds_generator import generate

    root = tmp_path_factory.mktemp("batches")
    made = []
    for name, start, days in (("first", START_DATE, FIRST_DAYS), ("second", SECOND_START_DATE, SECOND_DAYS)):
        folder = root / name
        generate(folder, scale=TEST_SCALE, start_date=start, days=days)
        made.append(Batch(folder, json.loads((folder / "_generation.json").read_text())))
    return made[0], made[1]


@pytest.fixture(scope="session")
def late_changes(tmp_path_factory, batches) -> tuple[Batch, Batch]:
    """Two hand-written loads after the batches: clean rows moved into quarantine, then a late product."""
    from tests.dbt_project.late_changes import write_late_changes

    made = write_late_changes(batches[0].folder, tmp_path_factory.mktemp("late-changes"))
    return Batch(*made[0]), Batch(*made[1])


@pytest.fixture(scope="session")
def incremental_warehouse(tmp_path_factory, batches, late_changes) -> Warehouse:
    """The first batch built in full (with every test); then, built incrementally on top, the second batch
    with the first late change, and the second late change (with every data test)."""
    root = tmp_path_factory.mktemp("incremental")
    warehouse = Warehouse(root / "ecommerce.duckdb", root / "target")
    lake = root / "lake"
    load_batch(batches[0], lake, duckdb_path=warehouse.path)
    warehouse.dbt("build")
    load_batch(batches[1], lake, duckdb_path=warehouse.path)
    load_batch(late_changes[0], lake, duckdb_path=warehouse.path)
    warehouse.dbt("run")
    load_batch(late_changes[1], lake, duckdb_path=warehouse.path)
    warehouse.dbt("build", "--exclude-resource-type", "unit_test")
    return warehouse


@pytest.fixture(scope="session")
def full_refresh_warehouse(tmp_path_factory, incremental_warehouse) -> Warehouse:
    """The same raw data as `incremental_warehouse`, with every model rebuilt from scratch."""
    root = tmp_path_factory.mktemp("full-refresh")
    warehouse = Warehouse(root / "ecommerce.duckdb", root / "target")
    shutil.copy(incremental_warehouse.path, warehouse.path)
    warehouse.dbt("run", "--full-refresh")
    return warehouse
