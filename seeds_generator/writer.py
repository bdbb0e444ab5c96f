"""CSV files written chunk by chunk, with row count, byte count and SHA-256 taken on the way out.

Rendering CSV is the single largest cost of a run. pyarrow renders without holding the GIL, so the
sinks hand their batches (and the per-batch work that can wait: building Arrow tables, injecting
defects) to two render threads while the day loop generates the next chunk: with the day loop, that
keeps both cores busy. A third thread hashes and writes the rendered batches in submission order, so
every file is written in the order its batches came. The backlog is bounded in batches, and batches
are bounded in rows, so memory does not grow with the volume.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as csv

#: The writer renders a batch in slices of `batch_size` rows (1024 by default), each casting every column
#: anew: 4096-row slices cost about a tenth less for the same bytes (larger ones lose the CPU cache).
_NO_HEADER = csv.WriteOptions(include_header=False, batch_size=4096)
#: A rendered batch: its CSV bytes and how many rows they hold.
Rendered = tuple[pa.Buffer, int]


def _size_bound(table: pa.Table) -> int:
    """Bytes the CSV lines of `table` can take at most: pages of the buffer left unwritten are never touched."""
    rows = table.num_rows
    size = rows * table.num_columns  # a delimiter or line end after each value
    for column in table.columns:
        kind = column.type
        if pa.types.is_string(kind):
            size += 2 * column.nbytes + 2 * rows  # quotes, and every byte a quote doubled at worst
        elif pa.types.is_decimal(kind):
            size += (kind.precision + 3) * rows  # sign, point, and a zero before it
        elif pa.types.is_integer(kind):
            size += 20 * rows  # -9223372036854775808
        elif pa.types.is_temporal(kind):
            size += 48 * rows  # "<value out of range: -9223372036854775807>" at the extremes
        else:
            raise TypeError(f"no CSV size bound for {kind}")
    return size


class BackgroundWriter:
    """Render threads and an emit thread, with a bounded backlog so memory stays bounded."""

    def __init__(self, max_backlog: int = 8, render_threads: int = 2) -> None:
        self._render_pool = ThreadPoolExecutor(max_workers=render_threads, thread_name_prefix="csv-render")
        self._emit_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="csv-emit")
        self._backlog: deque[Future] = deque()
        self._max_backlog = max_backlog

    def submit(self, render: Callable[[], Rendered], emit: Callable[[Rendered], None]) -> None:
        rendered = self._render_pool.submit(render)
        self._backlog.append(self._emit_pool.submit(lambda: emit(rendered.result())))
        while len(self._backlog) > self._max_backlog:
            self._backlog.popleft().result()  # re-raises a worker's error, if any

    def drain(self) -> None:
        while self._backlog:
            self._backlog.popleft().result()

    def close(self) -> None:
        try:
            self.drain()
        finally:
            self._render_pool.shutdown(wait=True, cancel_futures=True)
            self._emit_pool.shutdown(wait=True, cancel_futures=True)


class CsvSink:
    """One raw table's file: a header, then batches appended in order."""

    def __init__(self, path: Path, schema: pa.Schema, writer: BackgroundWriter) -> None:
        self.path = path
        self.schema = schema
        self.rows = 0
        self.bytes = 0
        self._writer = writer
        self._sha256 = hashlib.sha256()
        self._file = path.open("wb")
        header = pa.BufferOutputStream()
        csv.write_csv(schema.empty_table(), header, csv.WriteOptions(include_header=True))
        self._emit((header.getvalue(), 0))

    @staticmethod
    def _render(table: pa.Table) -> pa.Buffer:
        """The CSV lines of `table`, written into one buffer allocated up front: a growing
        BufferOutputStream copies what it holds each time it doubles, about a seventh of the rendering."""
        buffer = pa.allocate_buffer(_size_bound(table))
        out = pa.FixedSizeBufferWriter(buffer)
        csv.write_csv(table, out, _NO_HEADER)
        return buffer.slice(0, out.tell())

    def _emit(self, rendered: Rendered) -> None:
        data, rows = rendered
        self._sha256.update(data)
        self._file.write(data)
        self.bytes += data.size
        self.rows += rows

    def _render_rows(
        self, table: pa.Table | Callable[[], pa.Table], prepare: Callable[[pa.Table], pa.Table] | None
    ) -> Rendered:
        if callable(table):
            table = table()
        if prepare is not None and table.num_rows:
            table = prepare(table)
        # pyarrow 26's CSV writer emits garbage when a table's first chunk is empty: drop empty chunks.
        batches = [batch for batch in table.cast(self.schema).to_batches() if batch.num_rows]
        return self._render(pa.Table.from_batches(batches, self.schema)), table.num_rows

    def write(
        self, table: pa.Table | Callable[[], pa.Table], prepare: Callable[[pa.Table], pa.Table] | None = None
    ) -> None:
        """Append `table` (or what calling it returns), after `prepare(table)` when given. Both calls run on
        the render thread: they must not change state the caller uses without a lock."""
        if callable(table) or table.num_rows:
            self._writer.submit(lambda: self._render_rows(table, prepare), self._emit)

    def close(self) -> dict:
        """Close the file (call after the writer drained) and describe it."""
        self._file.close()
        return {"file": self.path.name, "rows": self.rows, "bytes": self.bytes, "sha256": self._sha256.hexdigest()}
