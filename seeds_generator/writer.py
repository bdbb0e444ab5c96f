"""CSV files written chunk by chunk, with row count, byte count and SHA-256 taken on the way out.

Rendering CSV is the single largest cost of a run. pyarrow renders without holding the GIL, so the
sinks hand their batches to one worker thread and the day loop generates the next day meanwhile.
One worker keeps every file's batches in submission order.
"""

from __future__ import annotations

import hashlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as csv

_NO_HEADER = csv.WriteOptions(include_header=False)


class BackgroundWriter:
    """A single worker thread with a bounded backlog, so memory stays bounded by a few batches."""

    def __init__(self, max_backlog: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="csv-writer")
        self._backlog: deque[Future] = deque()
        self._max_backlog = max_backlog

    def submit(self, task, *args) -> None:
        self._backlog.append(self._pool.submit(task, *args))
        while len(self._backlog) > self._max_backlog:
            self._backlog.popleft().result()  # re-raises the worker's error, if any

    def drain(self) -> None:
        while self._backlog:
            self._backlog.popleft().result()

    def close(self) -> None:
        try:
            self.drain()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)


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
        self._emit(self._render(schema.empty_table(), csv.WriteOptions(include_header=True)))

    @staticmethod
    def _render(table: pa.Table, options: csv.WriteOptions) -> pa.Buffer:
        out = pa.BufferOutputStream()
        csv.write_csv(table, out, options)
        return out.getvalue()

    def _emit(self, data: pa.Buffer) -> None:
        self._sha256.update(data)
        self._file.write(data)
        self.bytes += data.size

    def _write_now(self, table: pa.Table) -> None:
        # pyarrow 26's CSV writer emits garbage when a table's first chunk is empty: drop empty chunks.
        batches = [batch for batch in table.cast(self.schema).to_batches() if batch.num_rows]
        self._emit(self._render(pa.Table.from_batches(batches, self.schema), _NO_HEADER))

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            self.rows += table.num_rows
            self._writer.submit(self._write_now, table)

    def close(self) -> dict:
        """Close the file (call after the writer drained) and describe it."""
        self._file.close()
        return {"file": self.path.name, "rows": self.rows, "bytes": self.bytes, "sha256": self._sha256.hexdigest()}
