"""Load landed batches, oldest first, table by table; stop at the first failure.

Stopping keeps batches in order: a later batch never lands in the warehouse ahead of an earlier one
that failed. A failed table is rolled back and gets a `failed` audit row; re-running retries it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from loader.errors import LoaderError, LoadFailedError
from loader.lake import Lake
from loader.landing import landed_batches, read_manifest
from loader.manifest import Manifest, TableBatch
from loader.warehouse import TableLoad, Warehouse
from loader.warehouse.base import utc_now
from loader.warehouse.parts import LandedParts

log = logging.getLogger(__name__)


class BatchLoadError(LoadFailedError):
    """A table failed; `results` holds what was done before it, and the failure itself last."""

    def __init__(self, cause: LoaderError, results: list[TableLoad]) -> None:
        super().__init__(str(cause))
        self.cause, self.results = cause, results


def load_batches(
    lake: Lake,
    warehouse: Warehouse,
    load_id: str | None = None,
    progress: Callable[[TableLoad], None] | None = None,
) -> list[TableLoad]:
    """Load every landed batch not yet loaded (or only `load_id`); one result per batch and table.

    What to load is settled first, so that the parts of every table to load can be prepared ahead,
    across tables and batches, while the warehouse reads the current one.
    """
    manifests = [read_manifest(lake, load_id)] if load_id else landed_batches(lake)
    warehouse.ensure_schema()
    plan = [
        (manifest, batch, warehouse.is_loaded(manifest.load_id, batch.table))
        for manifest in manifests
        for batch in manifest.tables
    ]
    results: list[TableLoad] = []
    with LandedParts(lake, [batch for _, batch, loaded in plan if not loaded]) as parts:
        for manifest, batch, loaded in plan:
            if loaded:
                result = TableLoad(manifest.load_id, batch.table, "skipped", len(batch.parts), batch.rows)
            else:
                result = _load_table(warehouse, manifest, batch, parts, results)
            results.append(result)
            if progress:
                progress(result)
    return results


def _load_table(
    warehouse: Warehouse, manifest: Manifest, batch: TableBatch, parts: LandedParts, done: list[TableLoad]
) -> TableLoad:
    """Load one table; on failure record a `failed` audit row and raise with the results `done` so far."""
    started = utc_now()
    try:
        result = warehouse.load_table(manifest, batch, parts, started)
    except LoaderError as error:
        failed = TableLoad(
            manifest.load_id,
            batch.table,
            "failed",
            len(batch.parts),
            batch.rows,
            bytes=batch.bytes,
            started_at=started,
            finished_at=utc_now(),
            error=str(error)[:4000],
        )
        warehouse.record(failed)
        log.error("%s %s failed: %s", manifest.load_id, batch.table, error)
        raise BatchLoadError(error, [*done, failed]) from error
    log.info(
        "%s %s: %d rows loaded, %d rejected, %d files, %d bytes in %.2f s",
        result.load_id,
        result.table,
        result.rows_loaded,
        result.rows_rejected,
        result.files,
        result.bytes,
        result.seconds,
    )
    return result
