"""Warehouses the loader writes the raw schema into: DuckDB (the default), PostgreSQL and Redshift."""

from __future__ import annotations

from loader.settings import LoaderSettings, Target
from loader.warehouse.base import TableLoad, Warehouse

__all__ = ["TableLoad", "Warehouse", "open_warehouse"]


def open_warehouse(settings: LoaderSettings) -> Warehouse:
    """The warehouse `settings.warehouse_target` names, connected."""
    if settings.warehouse_target is Target.POSTGRES:
        from loader.warehouse.postgres import PostgresWarehouse

        return PostgresWarehouse(settings)
    if settings.warehouse_target is Target.REDSHIFT:
        from loader.warehouse.redshift import RedshiftWarehouse

        return RedshiftWarehouse(settings)
    from loader.warehouse.duckdb_target import DuckDBWarehouse

    return DuckDBWarehouse(settings)
