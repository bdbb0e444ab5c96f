"""The loader's Python API: what orchestration and other packages call.

Arguments left as None fall back to `loader.settings` (environment and `.env`). Errors are
`loader.errors.LoaderError` subclasses whose messages say what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from loader.lake import open_lake
from loader.landing import LandResult
from loader.landing import land as land_batch
from loader.loading import load_batches
from loader.settings import LoaderSettings, get_settings
from loader.warehouse import TableLoad, open_warehouse


def land_result(
    source_dir: str | Path, settings: LoaderSettings, progress: Callable[[str, int], None] | None = None
) -> LandResult:
    """Land with every detail of the result (the CLI's summary needs more than the load id)."""
    return land_batch(Path(source_dir), open_lake(settings), settings, progress)


def load_results(
    settings: LoaderSettings, load_id: str | None = None, progress: Callable[[TableLoad], None] | None = None
) -> list[TableLoad]:
    lake = open_lake(settings)
    warehouse = open_warehouse(settings)
    try:
        return load_batches(lake, warehouse, load_id, progress)
    finally:
        warehouse.close()


def land(source_dir: str | Path, *, lake_url: str | None = None) -> str:
    """Land the `<table>.csv` files of `source_dir` as one batch; returns its load id (the earlier one if
    the same content was landed before)."""
    return land_result(source_dir, get_settings(lake_url=lake_url)).load_id


def load(*, lake_url: str | None = None, target: str | None = None, load_id: str | None = None) -> list[dict]:
    """Load every landed batch not yet loaded, oldest first (or only `load_id`); one summary per batch and table."""
    settings = get_settings(lake_url=lake_url, warehouse_target=target)
    return [result.as_dict() for result in load_results(settings, load_id)]


def run(source_dir: str | Path, *, lake_url: str | None = None, target: str | None = None) -> list[dict]:
    """Land `source_dir`, then load everything not yet loaded."""
    land(source_dir, lake_url=lake_url)
    return load(lake_url=lake_url, target=target)
