"""The shop source's raw data contract: tables, columns, keys, value rules and known defects."""

from shop_contract.defects import DEFECT_KINDS, DEFECT_KINDS_BY_NAME, DefectKind, Handling
from shop_contract.raw_tables import (
    DATE_FORMAT,
    LOAD_ID_COLUMN,
    LOADED_AT_COLUMN,
    REDSHIFT_DATE_FORMAT,
    REDSHIFT_TIME_FORMAT,
    TABLES,
    TABLES_BY_NAME,
    TIMESTAMP_FORMAT,
    Column,
    ColumnType,
    Dialect,
    Table,
)

__all__ = [
    "DATE_FORMAT",
    "DEFECT_KINDS",
    "DEFECT_KINDS_BY_NAME",
    "LOADED_AT_COLUMN",
    "LOAD_ID_COLUMN",
    "REDSHIFT_DATE_FORMAT",
    "REDSHIFT_TIME_FORMAT",
    "TABLES",
    "TABLES_BY_NAME",
    "TIMESTAMP_FORMAT",
    "Column",
    "ColumnType",
    "DefectKind",
    "Dialect",
    "Handling",
    "Table",
]
