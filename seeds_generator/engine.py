"""The day loop: replay the look-back window, then write each day's rows, defects and truth."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pyarrow as pa

from seeds_generator import params
from seeds_generator.columns import render_schema
from seeds_generator.customers import CustomerBook
from seeds_generator.defects import all_targets, inject
from seeds_generator.orders import OrderBook
from seeds_generator.products import ProductBook
from seeds_generator.render import order_items_table, orders_table, reviews_table
from seeds_generator.request import Request, validate
from seeds_generator.volumes import Volumes
from seeds_generator.writer import BackgroundWriter, CsvSink
from shop_contract import DEFECT_KINDS_BY_NAME, TABLES

TRUTH_FILE = "_generation.json"
FORMAT_VERSION = 1
#: Rows per batch of customers or products (the opening day's catalogue and customer base grow with scale).
CHUNK_ROWS = 64_000


@dataclass
class Tally:
    """What the run wrote, beyond the files themselves: defects and versions."""

    defects: Counter = field(default_factory=Counter)
    counts: dict[str, Counter] = field(default_factory=lambda: {table.name: Counter() for table in TABLES})
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add_defects(self, table: str, injected: Counter) -> None:
        """Called from the writer's render thread, hence the lock."""
        with self._lock:
            self.defects.update(injected)
            self.counts[table]["duplicate_rows"] += sum(n for key, n in injected.items() if key[0] == "duplicate_row")


class Run:
    """One call: the world's books, the five sinks and the tally."""

    def __init__(self, request: Request, sinks: dict[str, CsvSink], spill: Path) -> None:
        self.request = request
        self.sinks = sinks
        self.volumes = Volumes(request.seed, request.scale, horizon=request.end_day + 1)
        # Customers and products change on the days the run writes; their ids wait in the spill folder.
        written = range(request.start_day, request.end_day)
        self.customers = CustomerBook(request.seed, self.volumes, spill, written)
        self.products = ProductBook(request.seed, self.volumes, spill, written)
        self.orders = OrderBook(
            request.seed, self.volumes, self.customers, self.products, dirty=not request.clean, spill=spill
        )
        self.tally = Tally()
        #: Batches written so far today, per table: a batch's defects are drawn from its own stream.
        self._batches: Counter = Counter()

    def _write(self, table: str, batch: pa.Table | Callable[[], pa.Table], day: int) -> None:
        # Defects are a pure function of (batch, seed, day, batch number): the writer's render thread injects them.
        chunk = self._batches[table]
        self._batches[table] += 1
        self.sinks[table].write(batch, None if self.request.clean else partial(self._dirty, table, day, chunk))

    def _write_late(self, table: str, batch: Callable[[], pa.Table], rows: int) -> None:
        """Rows that missed their own day's extract: written as they are, counted as late."""
        self.sinks[table].write(batch)
        self.tally.defects[("late_arriving_row", table, None)] += rows
        self.tally.counts[table]["late_rows"] += rows

    def _dirty(self, table: str, day: int, chunk: int, batch: pa.Table) -> pa.Table:
        dirty, injected = inject(table, batch, self.request.seed, day, chunk)
        self.tally.add_defects(table, injected)
        return dirty

    def _versioned(self, table: str, book: CustomerBook | ProductBook, day: int) -> None:
        """Customers or products: the opening block (day 0), the day's new ones, and the day's changes.

        Their rows are a pure function of the ids, so they are built on the writer's render thread, off
        the day loop; the book's one pass over all ids runs here first (in `changed_on`), in the day loop.
        New ids are consecutive, so they are made a chunk at a time: the opening block alone is about
        1,000 ids per unit of scale.
        """
        first_ids = self.volumes.first_customer_id if table == "customers" else self.volumes.first_product_id
        counts = self.tally.counts[table]
        # The opening block (ids 1 .. first_ids[0] - 1) is written on day 0, before that day's sign-ups.
        first_new, stop = (1 if day == 0 else int(first_ids[day])), int(first_ids[day + 1])
        changed = book.changed_on(day, int(first_ids[day]) - 1)
        counts["first_versions"] += stop - first_new
        counts["update_rows"] += len(changed)
        for start in range(first_new, stop, CHUNK_ROWS):
            self._versions(table, book, np.arange(start, min(start + CHUNK_ROWS, stop), dtype=np.int64), None, day)
        for start in range(0, len(changed), CHUNK_ROWS):
            self._versions(table, book, changed[start : start + CHUNK_ROWS], day, day)

    def _versions(
        self, table: str, book: CustomerBook | ProductBook, ids: np.ndarray, as_of: int | None, day: int
    ) -> None:
        self.tally.counts[table]["superseded_rows"] += self._superseded(book, ids, day)
        self._write(table, partial(book.rows, ids, as_of), day)

    def _superseded(self, book: CustomerBook | ProductBook, ids: np.ndarray, day: int) -> int:
        """Rows written on `day` whose entity changes again before the run ends."""
        change_days = book.change_days(ids)
        return int(((change_days > day) & (change_days < self.request.end_day)).any(axis=1).sum())

    def _orders(self, rows: np.ndarray, day: int, late: bool = False) -> None:
        counts = self.tally.counts["orders"]
        updates = int(rows["is_update"].sum())
        counts["first_versions"] += len(rows) - updates
        counts["update_rows"] += updates
        counts["superseded_rows"] += int((rows["next_version_day"] < self.request.end_day).sum())
        if late:
            self._write_late("orders", partial(orders_table, rows), len(rows))
        else:
            self._write("orders", partial(orders_table, rows), day)

    def _lines(self, lines: np.ndarray | dict[str, np.ndarray], day: int, late: bool = False) -> None:
        rows = len(lines["order_item_id"])
        self.tally.counts["order_items"]["first_versions"] += rows
        if late:
            self._write_late("order_items", partial(order_items_table, lines), rows)
        elif rows:
            self._write("order_items", partial(order_items_table, lines), day)

    def _reviews(self, reviews: np.ndarray, day: int) -> None:
        self.tally.counts["reviews"]["first_versions"] += len(reviews)
        if len(reviews):
            self._write("reviews", partial(reviews_table, reviews), day)

    def day(self, day: int) -> None:
        """A day's extract: earlier orders' steps due today, today's orders chunk by chunk, then late rows."""
        render = day >= self.request.start_day
        self._batches.clear()
        orders = self.orders
        if render:
            self._versioned("customers", self.customers, day)
            self._versioned("products", self.products, day)
        for rows in orders.pending_orders.pop(day, keep=render):
            self._orders(rows, day)
        for reviews in orders.pending_reviews.pop(day, keep=render):
            self._reviews(reviews, day)
        for chunk in orders.place(day):
            if render:
                if len(chunk.orders):
                    self._orders(chunk.orders, day)
                self._lines(chunk.lines, day)
                self._reviews(chunk.reviews, day)
        for rows in orders.late_orders.pop(day, keep=render):
            self._orders(rows, day, late=True)
        for lines in orders.late_lines.pop(day, keep=render):
            self._lines(lines, day, late=True)


def _truth(request: Request, files: dict[str, dict], tally: Tally) -> dict:
    defects = [
        {
            "kind": kind,
            "table": table,
            "column": column,
            "handling": str(DEFECT_KINDS_BY_NAME[kind].handling),
            "count": tally.defects[(kind, table, column)],
        }
        for kind, table, column in all_targets()
    ]
    counts = {}
    for table in TABLES:
        tallied = tally.counts[table.name]
        counts[table.name] = {
            "rows": files[table.name]["rows"],
            "first_versions": tallied["first_versions"],
            "update_rows": tallied["update_rows"],
            "superseded_rows": tallied["superseded_rows"],
            "duplicate_rows": tallied["duplicate_rows"],
            "late_rows": tallied["late_rows"],
        }
    return {
        "generator": "seeds_generator",
        "format_version": FORMAT_VERSION,
        "parameters": {
            "scale": request.scale,
            "seed": request.seed,
            "start_date": request.start_date.isoformat(),
            "end_date": (request.start_date + dt.timedelta(days=request.days - 1)).isoformat(),
            "days": request.days,
            "clean": request.clean,
            "opening_date": params.OPENING_DATE.isoformat(),
            "lookback_days": params.LOOKBACK_DAYS,
        },
        "files": files,
        "defects": defects,
        "defect_rows_total": sum(entry["count"] for entry in defects),
        "counts": counts,
    }


def _progress(total: int):
    """A rich progress bar on an interactive stderr; nothing otherwise."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("[bold]generating[/] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
        console=Console(stderr=True),
    )


def generate(
    out_dir: str | os.PathLike,
    *,
    scale: float = 1.0,
    seed: int = 42,
    start_date: dt.date | str | None = None,
    days: int | None = None,
    clean: bool = False,
) -> dict:
    """Write the five raw CSVs and `_generation.json` into `out_dir`; return the truth document.

    `start_date` None means the opening day, `days` None the default 30; `clean` turns dirty rows off.
    Raises GeneratorUsageError for bad arguments.
    """
    request = validate(out_dir, scale, seed, start_date, days, clean)
    first_day = max(0, request.start_day - params.LOOKBACK_DAYS)
    with ExitStack() as stack:
        spill = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=".pending-", dir=request.out_dir)))
        writer = BackgroundWriter()
        sinks = {}
        for table in TABLES:
            sinks[table.name] = CsvSink(request.out_dir / f"{table.name}.csv", render_schema(table), writer)
            stack.callback(sinks[table.name].close)
        stack.callback(writer.close)  # runs first on the way out: no batch is written to a closed file
        run = Run(request, sinks, spill)
        stack.callback(run.orders.close)
        progress = _progress(request.end_day - first_day)
        if progress is not None:
            stack.enter_context(progress)
            task = progress.add_task(str(request.out_dir), total=request.end_day - first_day)
        for day in range(first_day, request.end_day):
            run.day(day)
            if progress is not None:
                progress.advance(task)
        writer.drain()
        files = {name: sink.close() for name, sink in sinks.items()}
    truth = _truth(request, files, run.tally)
    (request.out_dir / TRUTH_FILE).write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
    return truth
