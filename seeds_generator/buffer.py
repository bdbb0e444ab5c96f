"""A column store of pending rows: numpy arrays that grow by day and shrink as rows are emitted."""

from __future__ import annotations

import numpy as np


class Pending:
    """Rows decided on one day and emitted on a later one (order events, late lines, reviews).

    The columns are fixed by the first batch; until then the store is empty and selections from it
    are empty too, which spares callers a special case for days with no orders.
    """

    def __init__(self, columns: tuple[str, ...]) -> None:
        self.columns: dict[str, np.ndarray] = {name: np.empty(0, dtype=np.int64) for name in columns}

    def __len__(self) -> int:
        return len(next(iter(self.columns.values())))

    def append(self, batch: dict[str, np.ndarray]) -> None:
        if len(self) == 0:  # take the batch's dtypes rather than the placeholder's
            self.columns = {name: batch[name] for name in self.columns}
        else:
            self.columns = {name: np.concatenate((values, batch[name])) for name, values in self.columns.items()}

    def select(self, mask: np.ndarray) -> dict[str, np.ndarray]:
        return {name: values[mask] for name, values in self.columns.items()}

    def due(self, day: int) -> dict[str, np.ndarray]:
        """Rows whose `emit_day` is `day`."""
        return self.select(self.columns["emit_day"] == day)

    def keep_after(self, column: str, day: int) -> None:
        """Drop rows whose `column` day is `day` or earlier: they will never be emitted again."""
        self.columns = self.select(self.columns[column] > day)
