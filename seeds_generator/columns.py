"""Turning numpy arrays into Arrow columns of the contract's types, without a per-row loop."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from shop_contract import ColumnType, Table

EPOCH = dt.date(1970, 1, 1)
#: Stands for "never happens" in int64 second columns; becomes NULL in the files.
NEVER = np.iinfo(np.int64).max

ARROW_TYPES: dict[ColumnType, pa.DataType] = {
    ColumnType.BIGINT: pa.int64(),
    ColumnType.INTEGER: pa.int32(),
    ColumnType.MONEY: pa.decimal128(12, 2),
    ColumnType.VARCHAR: pa.string(),
    ColumnType.DATE: pa.date32(),
    ColumnType.TIMESTAMP: pa.timestamp("s"),
}


#: Money as the generator builds and renders it: a 64-bit decimal writes the same text as decimal128(12, 2)
#: (what readers parse it as), and pyarrow's CSV writer formats it about a third faster.
MONEY = pa.decimal64(12, 2)


def arrow_schema(table: Table) -> pa.Schema:
    """The Arrow schema a raw table's columns are read with, in contract order."""
    return pa.schema([pa.field(column.name, ARROW_TYPES[column.type]) for column in table.columns])


def render_schema(table: Table) -> pa.Schema:
    """The Arrow schema a raw table is built and written with: `arrow_schema`, money as `MONEY`."""
    return pa.schema(
        [
            pa.field(column.name, MONEY if column.type is ColumnType.MONEY else ARROW_TYPES[column.type])
            for column in table.columns
        ]
    )


def epoch_day(date: dt.date) -> int:
    """Days since 1970-01-01."""
    return (date - EPOCH).days


def money(cents: np.ndarray) -> pa.Array:
    """Exact decimal(12,2) (as `MONEY`) from integer cents: the unscaled value of a decimal is the cents."""
    return _from_values(MONEY, np.ascontiguousarray(cents, dtype=np.int64))


def timestamps(seconds: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    """UTC timestamps from epoch seconds; NULL where `missing`, by default where the value is `NEVER`."""
    if missing is None:
        missing = seconds == NEVER
    return _from_values(pa.timestamp("s"), np.ascontiguousarray(seconds, dtype=np.int64), missing)


def dates(days: np.ndarray) -> pa.Array:
    return _from_values(pa.date32(), np.ascontiguousarray(days, dtype=np.int32))


def _from_values(kind: pa.DataType, values: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    """An Arrow array over `values` (of the type's width) without a copy: `pa.array` converts value by
    value, about eight times slower."""
    validity = None
    if missing is not None and missing.any():
        validity = pa.py_buffer(np.packbits(~missing, bitorder="little"))
    return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(values)])


def pick(words: pa.Array, indices: np.ndarray) -> pa.Array:
    """Words from a small embedded list, by index."""
    return words.take(pa.array(np.asarray(indices, dtype=np.int32)))


def join(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation of string arrays and literal strings."""
    return pc.binary_join_element_wise(*parts, "")


def integers_as_text(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())
