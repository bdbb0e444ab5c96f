"""Per-id values of customers and products in a memory budget that does not grow with scale.

The day loop needs, for every customer and product of the run, a buying weight (to draw buyers and
basket products in proportion to it), the price book (to price order lines) and the change days (to
re-send changed rows). All are pure functions of (seed, id), and were cached for every id of the
run: 16 bytes a customer and 48 a product, about 480 MB at scale 10,000. Now:

- the first ids, as many whole blocks as `CACHE_BYTES` holds, keep their values in memory;
- past them, cumulative weights wait on disk, read back a block at a time, and the price book and
  change days are computed again from the pure functions each time they are used (same values, same
  bytes);
- every block of `ENTITY_BLOCK` ids has one summary, its total weight, so that a weighted draw finds
  the block of each target without the block's per-id values (8 bytes per 262,144 ids);
- the ids that change on each day of the run are found in one pass and wait on disk, one file per day.

A resident prefix rather than a least-recently-used set of blocks: each day draws buyers and products
across every block in id order, a cyclic scan under which an LRU smaller than the whole never hits,
while a fixed prefix hits in proportion to its size. Per-block min/max change days would not prune
either: the opening customers' and products' change days spread over every day of every block.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

#: Ids per block: the unit of the one pass over all ids, of the resident prefix and of the weight summaries.
ENTITY_BLOCK = 1 << 18
#: Bytes of per-id values each book (customers, products) keeps in memory, whatever the scale. At scale
#: 1000 both books fit whole (10 and 24 MB), so the usual runs compute nothing twice.
CACHE_BYTES = 64 << 20


def id_blocks(total: int, block: int) -> Iterator[np.ndarray]:
    """Ids 1..total in blocks of `block`, in order."""
    for start in range(0, total, block):
        yield np.arange(start + 1, min(start + block, total) + 1, dtype=np.int64)


def resident_ids(total: int, block: int, cache_bytes: int, bytes_per_id: int) -> int:
    """How many of the first ids keep their values in memory: whole blocks within the budget."""
    return min(total, cache_bytes // bytes_per_id // block * block)


class WeightedIds:
    """Draws of ids 1..n in proportion to integer weights: cumulative weights in memory for the first
    ids, on disk for the rest, exact either way.

    Integer weights keep cumulative sums exact, so the values are the same wherever they are kept. The
    ids past the resident prefix are read back a block at a time, as each draw needs them: a read from
    the page cache costs about a sixtieth of recomputing the block's weights (0.2 ms against 13 ms for
    262,144 ids), and basket draws come once per placement chunk, dozens of times a day at large scales.
    """

    def __init__(self, total: int, block: int, resident: int, spill: Path) -> None:
        self.block = block
        self.total = total
        #: Cumulative weights of ids 1..resident.
        self._cumulative = np.empty(resident, dtype=np.int64)
        #: Cumulative weight at the end of each block: the per-block summary.
        self._block_ends = np.empty(-(-total // block), dtype=np.int64)
        #: Cumulative weights of the ids past the resident prefix.
        self._spill = spill
        self._added = 0

    @property
    def resident(self) -> int:
        return len(self._cumulative)

    @property
    def nbytes(self) -> int:
        """Bytes held per id (the resident prefix), apart from the per-block summaries."""
        return self._cumulative.nbytes

    def add(self, weights: np.ndarray) -> None:
        """Record the weights of the next block's ids (blocks come in id order, from the owner's one pass)."""
        index = self._added
        before = self._block_ends[index - 1] if index else 0
        start = index * self.block
        if start < self.resident:
            cumulative = self._cumulative[start : start + len(weights)]
            np.cumsum(weights, out=cumulative)
        else:
            cumulative = np.cumsum(weights)
        cumulative += before
        self._block_ends[index] = cumulative[-1]
        if start >= self.resident:
            with self._spill.open("ab") as handle:
                handle.write(cumulative.tobytes())
        self._added += 1

    def _block_cumulative(self, index: int, stop: int) -> np.ndarray:
        """Cumulative weights of the ids of block `index` (past the resident prefix) up to id `stop`."""
        start = index * self.block
        offset = (start - self.resident) * 8
        return np.fromfile(self._spill, dtype=np.int64, count=stop - start, offset=offset)

    def pick(self, sorted_uniforms: np.ndarray, last_id: int) -> np.ndarray:
        """Ids (of 1..last_id) drawn in proportion to their weight, ascending.

        Ascending uniforms let numpy narrow each search from the previous one: several times faster than
        random probes into an array larger than the CPU cache. Past the resident prefix, the targets are
        searched block by block, each block read once per draw.
        """
        if last_id <= self.resident:
            cumulative = self._cumulative[:last_id]
            picked = np.searchsorted(cumulative, _floored(sorted_uniforms, cumulative[-1]), side="right")
            picked += 1
            return picked
        last_block = (last_id - 1) // self.block
        last = self._block_cumulative(last_block, last_id)
        targets = _floored(sorted_uniforms, last[-1])
        resident_end = self._cumulative[-1] if self.resident else 0
        split = int(np.searchsorted(targets, resident_end, side="left"))
        picked = [np.searchsorted(self._cumulative, targets[:split], side="right").astype(np.int64) + 1]
        for index in range(self.resident // self.block, last_block + 1):
            lo = int(np.searchsorted(targets, self._block_ends[index - 1] if index else 0, side="left"))
            hi = int(np.searchsorted(targets, self._block_ends[index], side="left"))
            if lo == hi:
                continue
            cumulative = last if index == last_block else self._block_cumulative(index, (index + 1) * self.block)
            found = np.searchsorted(cumulative, targets[lo:hi], side="right").astype(np.int64)
            picked.append(found + index * self.block + 1)
        return np.concatenate(picked)


class DayFiles:
    """Ids filed under days from `first_day` on, one append-only file per day, read back once.

    Filled in one pass over the ids in ascending order, so each day's file lists its ids ascending.
    """

    def __init__(self, folder: Path, name: str, first_day: int, stop_day: int) -> None:
        self._folder = folder
        self._name = name
        self.first_day = first_day
        self.stop_day = stop_day

    def _path(self, day: int) -> Path:
        return self._folder / f"{self._name}-{day}.bin"

    def file(self, ids: np.ndarray, days: np.ndarray) -> None:
        """File each of `ids` (ascending) under every distinct day of its row of `days` (shape (n, k))
        that falls in [first_day, stop_day)."""
        rows, columns = np.nonzero((days >= self.first_day) & (days < self.stop_day))
        if len(rows) == 0:
            return
        # One sorted, de-duplicated key per (day, id): by day, then ascending id.
        keys = np.unique((days[rows, columns].astype(np.int64) - self.first_day) * len(ids) + rows)
        offsets, rows = np.divmod(keys, len(ids))
        bounds = np.flatnonzero(np.diff(offsets)) + 1
        for group in np.split(np.arange(len(keys)), bounds):
            with self._path(self.first_day + int(offsets[group[0]])).open("ab") as handle:
                handle.write(ids[rows[group]].astype(np.int64).tobytes())

    def pop(self, day: int) -> np.ndarray:
        """The ids filed under `day`, ascending; the file is removed."""
        path = self._path(day)
        if not path.exists():
            return np.empty(0, dtype=np.int64)
        ids = np.fromfile(path, dtype=np.int64)
        path.unlink()
        return ids


def _floored(sorted_uniforms: np.ndarray, total: float) -> np.ndarray:
    """`floor(sorted_uniforms * total)` as integers, with one float temporary instead of two (a day's
    buyers are drawn at once: at scale 50,000 that is 5 million of them)."""
    scaled = sorted_uniforms * total
    np.floor(scaled, out=scaled)
    return scaled.astype(np.int64)
