"""The sinks' rendering: the bytes pyarrow's CSV writer writes, in a buffer sized before writing."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.csv as csv
import pytest

from seeds_generator.columns import MONEY
from seeds_generator.writer import CsvSink

#: The widest text of every type the raw tables are written with.
EXTREMES = {
    "bigint": pa.array([-(2**63), 2**63 - 1], pa.int64()),
    "integer": pa.array([-(2**31), 2**31 - 1], pa.int32()),
    "money": pa.Array.from_buffers(MONEY, 2, [None, pa.py_buffer(np.array([-(10**12 - 1), 10**12 - 1]))]),
    "date": pa.array([-(2**31), 2**31 - 1], pa.date32()),
    "timestamp": pa.array([-(2**63) + 1, 2**63 - 1], pa.timestamp("s")),
    "varchar": pa.array(['""""', '"']),
}


@pytest.mark.parametrize("kind", EXTREMES)
def test_the_widest_values_fit_the_buffer_and_render_as_pyarrow_does(kind: str) -> None:
    table = pa.table({kind: EXTREMES[kind]})
    expected = pa.BufferOutputStream()
    csv.write_csv(table, expected, csv.WriteOptions(include_header=False))
    assert CsvSink._render(table).equals(expected.getvalue())
