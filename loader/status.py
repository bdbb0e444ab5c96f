"""What `loader status` shows: every landed batch and table beside its latest audit row."""

from __future__ import annotations

from loader.lake import open_lake
from loader.landing import landed_batches
from loader.settings import LoaderSettings
from loader.warehouse import open_warehouse


def batch_status(settings: LoaderSettings) -> list[dict]:
    """One row per landed batch and table: what landed, and what the warehouse's audit says happened."""
    manifests = landed_batches(open_lake(settings))
    warehouse = open_warehouse(settings)
    try:
        warehouse.ensure_schema()
        latest = {(row["load_id"], row["table_name"]): row for row in warehouse.audit_rows()}
    finally:
        warehouse.close()
    rows = []
    for manifest in manifests:
        for batch in manifest.tables:
            audit = latest.get((manifest.load_id, batch.table), {})
            rows.append(
                {
                    "load_id": manifest.load_id,
                    "table": batch.table,
                    "rows": batch.rows,
                    "files": len(batch.parts),
                    "bytes": batch.bytes,
                    "status": audit.get("status", "landed"),
                    "rows_loaded": audit.get("rows_loaded"),
                    "rows_rejected": audit.get("rows_rejected"),
                }
            )
    return rows
