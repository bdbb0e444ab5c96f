"""CSV files written chunk by chunk, with row count, byte count and SHA-256 taken on the way out."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as csv

_NO_HEADER = csv.WriteOptions(include_header=False)


class CsvSink:
    """One raw table's file: a header, then batches appended in order."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        self.schema = schema
        self.rows = 0
        self.bytes = 0
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

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            # pyarrow 26's CSV writer emits garbage when a table's first chunk is empty: drop empty chunks.
            batches = [batch for batch in table.cast(self.schema).to_batches() if batch.num_rows]
            self._emit(self._render(pa.Table.from_batches(batches, self.schema), _NO_HEADER))
            self.rows += table.num_rows

    def close(self) -> dict:
        """Close the file (again is harmless) and describe it."""
        self._file.close()
        return {"file": self.path.name, "rows": self.rows, "bytes": self.bytes, "sha256": self._sha256.hexdigest()}
