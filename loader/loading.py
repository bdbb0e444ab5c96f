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
from loader.warehouse import TableLoad, Warehouse
from loader.warehouse.base import utc_now

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
    """Load every landed batch not yet loaded (or only `load_id`); one result per batch and table."""
    manifests = [read_manifest(lake, load_id)] if load_id else landed_batches(lake)
    warehouse.ensure_schema()
    results: list[TableLoad] = []
    for manifest in manifests:
        for batch in manifest.tables:
            if warehouse.is_loaded(manifest.load_id, batch.table):
                result = TableLoad(manifest.load_id, batch.table, "skipped", len(batch.parts), batch.rows)
            else:
                started = utc_now()
                try:
                    result = warehouse.load_table(manifest, batch, lake, started)
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
                    raise BatchLoadError(error, [*results, failed]) from error
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
            results.append(result)
            if progress:
                progress(result)
    return results
