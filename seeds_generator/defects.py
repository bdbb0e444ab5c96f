"""Dirty rows on purpose: each kind of `shop_contract.DEFECT_KINDS` at its targets, counted exactly.

Defects are drawn per emitted batch (a day's rows of one table, or a chunk of them) from a stream
keyed by (seed, day, table, chunk), so the same day gets the same defects whichever call writes it.
Rows are picked without replacement across all of a table's targets: a row carries one defect at most,
and a duplicate copies a row that carries none.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from seeds_generator import params
from seeds_generator.columns import join, pick
from seeds_generator.hashing import day_rng
from shop_contract import DEFECT_KINDS, TABLES, TABLES_BY_NAME

_DEFECT_STREAM = 10
_PREFIXES = pa.array([" ", "", "  "])
_SUFFIXES = pa.array(["", " ", " "])
_BAD_QUANTITIES = np.array([0, 100, 150, 999])
_BAD_RATINGS = np.array([0, 6, 7, 10])


@dataclass(frozen=True)
class Target:
    """One place a defect kind is injected: `column` is None for whole-row defects (duplicates)."""

    kind: str
    table: str
    column: str | None
    rate: float

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.kind, self.table, self.column)


def _targets() -> dict[str, tuple[Target, ...]]:
    by_table: dict[str, list[Target]] = {table.name: [] for table in TABLES}
    for kind in DEFECT_KINDS:
        rates = params.DEFECT_RATES.get(kind.name, {})
        for target in kind.targets:
            table, _, column = target.partition(".")
            if target in rates:
                by_table[table].append(Target(kind.name, table, column or None, rates[target]))
    return {table: tuple(targets) for table, targets in by_table.items()}


TARGETS = _targets()
TABLE_INDEX = {table.name: index for index, table in enumerate(TABLES)}


def all_targets() -> list[tuple[str, str, str | None]]:
    """Every (kind, table, column) the truth file reports, in contract order.

    Late-arriving rows are decided with the orders (not per batch here) and have no per-row rate.
    """
    keys = []
    for kind in DEFECT_KINDS:
        rates = params.DEFECT_RATES.get(kind.name)
        for target in kind.targets:
            table, _, column = target.partition(".")
            if rates is None or target in rates:
                keys.append((kind.name, table, column or None))
    return keys


def _replace(table: pa.Table, column: str, rows: np.ndarray, values: pa.Array) -> pa.Table:
    """`table` with `column` replaced at the (sorted) `rows` by `values`."""
    index = table.schema.get_field_index(column)
    current = table.column(index).combine_chunks()
    # One take over [column, values]: about twice as fast as replace_with_mask on strings.
    positions = np.arange(table.num_rows)
    positions[rows] = table.num_rows + np.arange(len(rows))
    updated = pa.concat_arrays([current, values.cast(current.type)]).take(pa.array(positions))
    return table.set_column(index, column, updated)


def _dirty_values(target: Target, table: pa.Table, rows: np.ndarray, rng: np.random.Generator) -> pa.Array:
    count = len(rows)
    if target.kind in ("missing_email", "missing_value"):
        return pa.nulls(count, table.schema.field(target.column).type)
    if target.kind == "orphan_foreign_key":
        own_key = table.column(TABLES_BY_NAME[target.table].primary_key).take(pa.array(rows))
        return pa.array(params.ORPHAN_ID_BASE + own_key.to_numpy(), type=pa.int64())
    if target.kind == "out_of_range_value":
        choices = _BAD_QUANTITIES if target.column == "quantity" else _BAD_RATINGS
        return pa.array(choices[rng.integers(0, len(choices), count)].astype(np.int32))
    clean = table.column(target.column).take(pa.array(rows)).combine_chunks()
    variant = rng.integers(0, 3, count)
    if target.kind == "whitespace_noise":
        return join(pick(_PREFIXES, variant), clean, pick(_SUFFIXES, variant))
    if target.kind == "case_noise":
        return pc.if_else(pa.array(variant == 0), pc.utf8_title(clean), pc.utf8_upper(clean))
    if target.kind == "invalid_email":
        no_at = pc.replace_substring(clean, "@", "")
        no_domain = pc.replace_substring_regex(clean, "@.*$", "@")
        spaced = pc.replace_substring(clean, ".", " ", max_replacements=1)
        return pc.if_else(pa.array(variant == 0), no_at, pc.if_else(pa.array(variant == 1), no_domain, spaced))
    raise AssertionError(f"no injector for {target.kind}")


def inject(table_name: str, table: pa.Table, seed: int, day: int, chunk: int) -> tuple[pa.Table, Counter]:
    """Dirty copy of one batch: defects written in place, duplicates appended; and what was injected."""
    targets = TARGETS[table_name]
    rng = day_rng(seed, day, _DEFECT_STREAM + 1000 * chunk + TABLE_INDEX[table_name])
    rows = table.num_rows
    counts = rng.binomial(rows, [target.rate for target in targets])
    while counts.sum() > rows:  # only for a handful of rows: keep one defect per row
        counts[np.argmax(counts)] -= 1
    picked = rng.choice(rows, int(counts.sum()), replace=False)
    injected: Counter = Counter()
    duplicates = np.empty(0, dtype=np.int64)
    dirty = table
    for target, chosen in zip(targets, np.split(picked, np.cumsum(counts)[:-1]), strict=True):
        if len(chosen) == 0:
            continue
        chosen = np.sort(chosen)
        injected[target.key] += len(chosen)
        if target.kind == "duplicate_row":
            duplicates = chosen
        else:
            dirty = _replace(dirty, target.column, chosen, _dirty_values(target, table, chosen, rng))
    if len(duplicates):
        dirty = pa.concat_tables([dirty, table.take(pa.array(duplicates))])
    return dirty, injected
