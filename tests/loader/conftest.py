"""Fixtures of the loader tests: a sample batch from the contract and settings that point into tmp_path."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from loader.settings import LoaderSettings
from tests.loader.sample_data import write_batch

LOADER_ENV = (
    "LAKE_URL",
    "WAREHOUSE_TARGET",
    "DUCKDB_PATH",
    "RAW_SCHEMA",
    "POSTGRES_DSN",
    "LAKE_CREATE_BUCKET",
    "LOADER_PART_SIZE_MB",
    "LOADER_MAX_REJECTED_ROWS",
    "LOADER_MAX_REJECTED_FRACTION",
    "REDSHIFT_HOST",
    "REDSHIFT_COPY_ROLE_ARN",
    "REDSHIFT_SLICES",
)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test runs in its own folder (so lake/, warehouse/ and .env are its own) with no loader env."""
    for name in LOADER_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def source_dir(tmp_path: Path) -> Path:
    return write_batch(tmp_path / "source")


@pytest.fixture
def settings(tmp_path: Path) -> LoaderSettings:
    return LoaderSettings(lake_url=str(tmp_path / "lake"), duckdb_path=tmp_path / "warehouse" / "ecommerce.duckdb")


def warehouse_snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every raw table's rows, sorted, without the columns that record *when* (which differ run to run)."""
    connection = duckdb.connect(str(path), read_only=True)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' ORDER BY 1"
            ).fetchall()
        ]
        snapshot = {}
        for table in tables:
            columns = [
                name
                for (name,) in connection.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' AND table_name = ? "
                    "ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if name not in {"_loaded_at", "started_at", "finished_at"}
            ]
            select = ", ".join(f'"{name}"' for name in columns)
            snapshot[table] = sorted(connection.execute(f'SELECT {select} FROM raw."{table}"').fetchall(), key=repr)
        return snapshot
    finally:
        connection.close()
