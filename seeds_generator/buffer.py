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
        order = np.argsort(emit_day, kind="stable")
        days, starts = np.unique(emit_day[order], return_index=True)
        bounds = [*starts[1:], len(order)]
        for day, start, stop in zip(days.tolist(), starts.tolist(), bounds, strict=True):
            rows = order[start:stop]
            self._days.setdefault(day, []).append({name: batch[name][rows] for name in self.columns})

    def pop(self, day: int) -> dict[str, np.ndarray]:
        """The rows to emit on `day` (and forget them)."""
        parts = self._days.pop(day, [])
        if not parts:
            return {name: np.empty(0, dtype=np.int64) for name in self.columns}
        return {name: np.concatenate([part[name] for part in parts]) for name in self.columns}
