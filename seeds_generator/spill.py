"""Rows decided on one day and due on a later one, kept on disk until their day comes.

An order's rows are due over the six weeks after it is placed (shipping, delivery, return, review),
so rows waiting for their day add up to several days of volume. Held in memory, they made the peak
grow with scale; here they are appended as fixed-size numpy records to one file per emit day and
read back on that day in pieces of a fixed number of rows, so memory holds one piece at a time.

Rows are filed on their placement day, in day order, so a day's file holds the same rows in the same
order whichever call fills it: that is what keeps split runs equal to one long run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np

#: Rows per piece read back: each piece becomes one batch of the day's extract (and of its defect draws).
PIECE_ROWS = 65_536


def take(records: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Records by index or boolean mask, copied as opaque bytes: numpy copies structured records field
    by field, about 15 times slower."""
    return records.view(np.dtype((np.void, records.dtype.itemsize)))[rows].view(records.dtype)


class SpillBuckets:
    """Records of one dtype filed under their emit day, one append-only file per day."""

    def __init__(self, folder: Path, name: str, dtype: np.dtype) -> None:
        self.dtype = dtype
        self._folder = folder
        self._name = name
        self._files: dict[int, BinaryIO] = {}

    def _path(self, day: int) -> Path:
        return self._folder / f"{self._name}-{day}.bin"

    def file(self, records: np.ndarray, emit_day: np.ndarray) -> None:
        """Append `records` (in filing order) to the files of their emit days."""
        if len(records) == 0:
            return
        first = int(emit_day.min())
        # Emit days span a few weeks: a 16-bit stable sort is a radix sort.
        offsets = (emit_day - first).astype(np.int16)
        order = np.argsort(offsets, kind="stable")
        days, starts = np.unique(offsets[order], return_index=True)
        grouped = take(records, order)
        bounds = [*starts[1:].tolist(), len(order)]
        for day, start, stop in zip(days.tolist(), starts.tolist(), bounds, strict=True):
            handle = self._files.get(first + day)
            if handle is None:
                handle = self._files[first + day] = self._path(first + day).open("ab")
            handle.write(grouped[start:stop].view(np.uint8).data)

    def pop(self, day: int, keep: bool = True) -> Iterator[np.ndarray]:
        """The records due on `day` in pieces of at most PIECE_ROWS (none unless `keep`); the file goes either way."""
        handle = self._files.pop(day, None)
        if handle is None:
            return
        handle.close()
        path = self._path(day)
        try:
            if keep:
                with path.open("rb") as source:
                    while len(piece := np.fromfile(source, dtype=self.dtype, count=PIECE_ROWS)):
                        yield piece
        finally:
            path.unlink()

    def close(self) -> None:
        """Close the files of days never reached (the caller removes the folder)."""
        for handle in self._files.values():
            handle.close()
        self._files.clear()
