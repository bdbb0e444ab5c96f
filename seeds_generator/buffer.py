"""The pending-events buffer: rows decided on one day, kept by the day they are to be emitted."""

from __future__ import annotations

import numpy as np


class DayBuckets:
    """Column batches filed under their emit day; a day's rows come out in the order they were filed.

    Rows are filed on their placement day, in day order, so a day's bucket holds the same rows in
    the same order whichever call fills it: that is what keeps split runs equal to one long run.
    """

    def __init__(self, columns: tuple[str, ...]) -> None:
        self.columns = columns
        self._days: dict[int, list[dict[str, np.ndarray]]] = {}

    def file(self, batch: dict[str, np.ndarray], emit_day: np.ndarray) -> None:
        if len(emit_day) == 0:
            return
        first = int(emit_day.min())
        # Offsets span a few weeks: a 16-bit stable sort is a radix sort.
        offsets = (emit_day - first).astype(np.int16)
        order = np.argsort(offsets, kind="stable")
        days, starts = np.unique(offsets[order], return_index=True)
        grouped = {name: batch[name][order] for name in self.columns}
        bounds = [*starts[1:].tolist(), len(order)]
        for day, start, stop in zip(days.tolist(), starts.tolist(), bounds, strict=True):
            # Copies, so that a day's bucket does not keep the whole placement day alive.
            part = {name: values[start:stop].copy() for name, values in grouped.items()}
            self._days.setdefault(first + day, []).append(part)

    def pop(self, day: int) -> dict[str, np.ndarray]:
        """The rows to emit on `day` (and forget them)."""
        parts = self._days.pop(day, [])
        if not parts:
            return {name: np.empty(0, dtype=np.int64) for name in self.columns}
        if len(parts) == 1:
            return parts[0]
        return {name: np.concatenate([part[name] for part in parts]) for name in self.columns}
