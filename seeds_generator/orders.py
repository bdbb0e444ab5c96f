"""Orders, their lines and reviews: a whole lifecycle decided on the placement day, emitted as it happens.

Each placement day draws who buys, when, and how many lines each order has from its own stream; the
rest (payment, shipping, delivery, cancellation, return, products, reviews) is drawn per chunk of
that day's orders, from a stream of its own, so that memory holds one chunk whatever the scale. Rows
due on the placement day go straight out; later ones wait on disk (`spill.SpillBuckets`) until the
day their event happens. Replaying the look-back window before a late start refills them exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from seeds_generator import params, vocab
from seeds_generator.columns import NEVER, epoch_day
from seeds_generator.customers import CustomerBook
from seeds_generator.hashing import day_rng, weighted_pick
from seeds_generator.products import ProductBook
from seeds_generator.spill import SpillBuckets, take
from seeds_generator.volumes import Volumes

_ORDERS_STREAM, _LATE_STREAM, _CHUNK_STREAM = 1, 2, 3
DAY = params.SECONDS_PER_DAY
HOUR = 3600
#: Orders per placement chunk. Part of what the output is (each chunk draws from its own stream), so a
#: change gives other (equally valid) data; small enough that a chunk's arrays stay in the CPU cache.
ORDERS_PER_CHUNK = 16_384

#: Orders per hour of the (UTC) day: quiet nights, an evening peak.
_HOUR_CUMULATIVE = np.cumsum([2, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 9, 9, 8, 6, 4]).astype(float)
_PAYMENT_CUMULATIVE = np.cumsum(vocab.PAYMENT_WEIGHTS).astype(float)
_VOUCHER, _BANK_TRANSFER = vocab.PAYMENT_METHODS.index("voucher"), vocab.PAYMENT_METHODS.index("bank_transfer")
_PROMISE_DAYS = np.arange(4, 10)
_PROMISE_CUMULATIVE = np.cumsum([5, 15, 30, 25, 15, 10]).astype(float)
_DISCOUNT_PERCENT = np.array([5, 10, 15, 20, 25, 30])
_DISCOUNT_CUMULATIVE = np.cumsum([20, 30, 20, 15, 10, 5]).astype(float)
#: Star probabilities (1..5) for on-time, late and returned orders: J-shaped, lower when let down.
_RATING_CUMULATIVE = np.cumsum(
    [[0.08, 0.03, 0.07, 0.20, 0.62], [0.35, 0.10, 0.15, 0.15, 0.25], [0.40, 0.15, 0.15, 0.10, 0.20]], axis=1
)
MAX_LINES = 20

STATUS_PLACED, STATUS_PAID, STATUS_SHIPPED, STATUS_DELIVERED, STATUS_CANCELED, STATUS_RETURNED = range(6)
#: An order's steps in the only order they can happen: placed, paid, shipped or canceled, delivered,
#: returned. A row shows the steps up to its `stage` (those that happened); its status is that stage's.
STAGE_STATUS = np.array([STATUS_PLACED, STATUS_PAID, STATUS_SHIPPED, STATUS_DELIVERED, STATUS_RETURNED])
STAGE_OFFSETS = ("paid", "shipped_or_canceled", "delivered", "returned")
#: A queued order row: the order's timeline, compactly (steps as seconds after `ordered_at`, -1 for
#: never), the stage the row shows, and what the day loop needs to count it.
ORDER_ROW = np.dtype(
    [
        *[("order_id", np.int64), ("customer_id", np.int64), ("ordered_at", np.int64)],
        *[(name, np.int32) for name in STAGE_OFFSETS],
        *[("promised_day", np.int32), ("next_version_day", np.int32), ("shipping", np.int16)],
        *[("payment", np.int8), ("canceled", np.bool_), ("stage", np.int8), ("is_update", np.bool_)],
    ]
)
LINE_COLUMNS = (
    *("order_item_id", "order_id", "product_id", "line_number", "quantity"),
    *("unit_price", "discount", "unit_cost", "created_at"),
)
LINE_ROW = np.dtype([(name, np.int64) for name in LINE_COLUMNS])
REVIEW_ROW = np.dtype(
    [
        *[("review_id", np.int64), ("order_id", np.int64), ("product_id", np.int64), ("rating", np.int8)],
        *[("title_pick", np.float64), ("comment_pick", np.float64), ("created_at", np.int64)],
    ]
)


def _lognormal_seconds(rng: np.random.Generator, median: float, sigma: float, size: int) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(size))


@dataclass
class ChunkRows:
    """What one chunk of a day's placements adds to that same day's extract."""

    #: ORDER_ROW records: the orders' first rows (and later steps that happened the same day).
    orders: np.ndarray
    #: Order lines by column, apart from those of late orders.
    lines: dict[str, np.ndarray]
    #: REVIEW_ROW records of reviews written on the placement day.
    reviews: np.ndarray


@dataclass
class _Skeleton:
    """A day's orders before their chunks are drawn: who buys when, and how many lines each has.

    The one part of a run that grows with the day's orders, so it is kept narrow (about 27 bytes an
    order): ids are implied by the first one, counts and lags are small integers, widened per chunk.
    """

    first_order_id: int
    buyers: np.ndarray
    ordered: np.ndarray
    lines_per_order: np.ndarray
    #: Offset of each order's first line within the day, plus the day's line total at the end.
    line_starts: np.ndarray
    lag: np.ndarray


class OrderBook:
    """Places each day's orders and keeps, on disk, the rows still to be emitted."""

    def __init__(
        self, seed: int, volumes: Volumes, customers: CustomerBook, products: ProductBook, dirty: bool, spill: Path
    ):
        self.seed = seed
        self.volumes = volumes
        self.customers = customers
        self.products = products
        self.dirty = dirty
        self.opening_epoch = epoch_day(params.OPENING_DATE) * DAY
        self.pending_orders = SpillBuckets(spill, "orders", ORDER_ROW)
        self.late_orders = SpillBuckets(spill, "late_orders", ORDER_ROW)
        self.late_lines = SpillBuckets(spill, "late_lines", LINE_ROW)
        self.pending_reviews = SpillBuckets(spill, "reviews", REVIEW_ROW)

    def close(self) -> None:
        for buckets in (self.pending_orders, self.late_orders, self.late_lines, self.pending_reviews):
            buckets.close()

    # --- placement -------------------------------------------------------------------------------
    def place(self, day: int) -> Iterator[ChunkRows]:
        """Decide the whole life of the orders placed on `day`, chunk by chunk: queue the rows due
        later, yield those due today."""
        skeleton = self._skeleton(day)
        if skeleton is None:
            return
        reserved_reviews, total_lines = int(self.volumes.reviews[day]), int(self.volumes.lines[day])
        count = len(skeleton.buyers)
        for chunk, start in enumerate(range(0, count, ORDERS_PER_CHUNK)):
            stop = min(start + ORDERS_PER_CHUNK, count)
            first_line, end_line = int(skeleton.line_starts[start]), int(skeleton.line_starts[stop])
            # Review ids reserved for the day, shared out in proportion to the chunk's lines.
            first_review = reserved_reviews * first_line // total_lines
            reviews = reserved_reviews * end_line // total_lines - first_review
            yield self._place_chunk(day, chunk, skeleton, slice(start, stop), first_line, first_review, reviews)

    def _skeleton(self, day: int) -> _Skeleton | None:
        vol = self.volumes
        count = int(vol.orders[day])
        if count == 0:
            return None
        rng = day_rng(self.seed, day, _ORDERS_STREAM)
        day_start = self.opening_epoch + day * DAY
        first_new = int(vol.first_customer_id[day])
        new_ids = np.arange(first_new, int(vol.first_customer_id[day + 1]), dtype=np.int64)
        new_buyers = new_ids[rng.random(len(new_ids)) < params.FIRST_ORDER_SAME_DAY][:count]
        signup_delay = np.minimum(rng.exponential(20 * 60, len(new_buyers)).astype(np.int64), DAY)
        new_times = np.minimum(self.customers.created_at(new_buyers) + 60 + signup_delay, day_start + DAY - 1)
        existing = count - len(new_buyers)
        # The opening customers (at least one) exist before any order day.
        # Buyers come out ascending; their order times are drawn independently, so pairing stays random.
        uniforms = rng.random(existing)
        uniforms.sort()
        old_buyers = self.customers.pick_buyers(uniforms, first_new - 1)
        del uniforms
        old_times = weighted_pick(rng, existing, _HOUR_CUMULATIVE)
        old_times *= HOUR
        old_times += day_start
        old_times += rng.integers(0, HOUR, existing)
        buyers = np.concatenate((new_buyers, old_buyers))
        del old_buyers
        # Orders by time, then buyer: one sort of a packed (second of the day, buyer) key, several times
        # faster than lexsort and two gathers. Equal keys are equal orders, so their order does not matter.
        span = int(buyers.max()) + 1
        placed = np.concatenate((new_times, old_times))
        del old_times
        placed -= day_start  # within the day: 0 <= placed < DAY
        placed *= span
        placed += buyers
        del buyers
        placed.sort()
        buyers = placed % span
        placed //= span
        placed += day_start
        lines_per_order = self._lines_per_order(rng, count, int(vol.lines[day]))
        line_starts = np.zeros(count + 1, dtype=np.int64)
        np.cumsum(lines_per_order, out=line_starts[1:])
        return _Skeleton(
            first_order_id=int(vol.first_order_id[day]),
            buyers=buyers,
            ordered=placed,
            lines_per_order=lines_per_order.astype(np.int16),
            line_starts=line_starts,
            lag=self._late_lag(day, count),
        )

    @staticmethod
    def _lines_per_order(rng: np.random.Generator, n: int, total: int) -> np.ndarray:
        """Lines per order skewed to one with a long tail, adjusted to the day's fixed line total."""
        single = rng.random(n) < 0.55
        per_order = rng.geometric(0.39, n)
        per_order += 1
        per_order[single] = 1
        del single
        np.minimum(per_order, MAX_LINES, out=per_order)
        gap = total - int(per_order.sum())
        if gap > 0:
            multi = np.flatnonzero(per_order > 1)
            pool = multi if len(multi) else np.arange(n)
            np.add.at(per_order, pool[rng.integers(0, len(pool), gap)], 1)
        elif gap < 0:
            extra_slots = np.repeat(np.arange(n), per_order - 1)
            np.subtract.at(per_order, extra_slots[rng.choice(len(extra_slots), -gap, replace=False)], 1)
        return per_order

    def _place_chunk(
        self, day: int, chunk: int, skeleton: _Skeleton, orders: slice, first_line: int, first_review: int, reviews: int
    ) -> ChunkRows:
        rng = day_rng(self.seed, day, _CHUNK_STREAM, chunk)
        order_ids = skeleton.first_order_id + np.arange(orders.start, orders.stop, dtype=np.int64)
        ordered, lag = skeleton.ordered[orders], skeleton.lag[orders].astype(np.int64)
        count = len(order_ids)
        payment = weighted_pick(rng, count, _PAYMENT_CUMULATIVE)
        timeline = self._timeline(rng, ordered, payment)
        first_line_id = int(self.volumes.first_line_id[day]) + first_line
        lines = self._lines(
            rng, day, order_ids, ordered, skeleton.lines_per_order[orders].astype(np.int64), first_line_id
        )
        subtotal = np.bincount(
            lines["order_index"], weights=lines["unit_price"] * lines["quantity"] - lines["discount"], minlength=count
        )
        line_count = np.bincount(lines["order_index"], minlength=count)
        shipping = np.where(
            subtotal >= params.FREE_SHIPPING_FROM_CENTS, 0, np.array([499, 699, 999])[np.minimum(line_count, 3) - 1]
        )
        first_review_id = int(self.volumes.first_review_id[day]) + first_review
        review_rows, written_day = self._reviews(rng, lines, timeline, reviews, first_review_id)

        order_rows = self._order_rows(day, order_ids, skeleton.buyers[orders], payment, timeline, shipping, lag)
        line_lag = lag[lines.pop("order_index")]
        late = line_lag > 0
        if late.any():
            late_lines = np.empty(int(late.sum()), LINE_ROW)
            for name in LINE_COLUMNS:
                late_lines[name] = lines[name][late]
            self.late_lines.file(late_lines, day + line_lag[late])
            lines = {name: values[~late] for name, values in lines.items()}
        today = written_day == day
        self.pending_reviews.file(take(review_rows, ~today), written_day[~today])
        return ChunkRows(orders=order_rows, lines=lines, reviews=take(review_rows, today))

    def _order_rows(
        self,
        day: int,
        order_ids: np.ndarray,
        buyers: np.ndarray,
        payment: np.ndarray,
        timeline: dict[str, np.ndarray],
        shipping: np.ndarray,
        lag: np.ndarray,
    ) -> np.ndarray:
        """One row per order per day on which it changed, each as the source shows it that evening.

        Rows due later are queued; those due today are returned.
        """
        ordered = timeline["ordered_at"]
        canceled = timeline["canceled_at"] != NEVER
        steps = (
            timeline["paid_at"],
            np.where(canceled, timeline["canceled_at"], timeline["shipped_at"]),
            timeline["delivered_at"],
            timeline["returned_at"],
        )
        step_days = np.stack([self._day_of(ordered), *(self._day_of(step) for step in steps)], axis=1)
        # The day of the next step that happens (NEVER after the last): a row shows the last step of its day.
        next_day = np.full_like(step_days, NEVER)
        next_day[:, :-1] = np.minimum.accumulate(step_days[:, :0:-1], axis=1)[:, ::-1]
        order_index, stage = np.nonzero((step_days != NEVER) & (step_days != next_day))  # by order, then by day
        as_of = step_days[order_index, stage]

        per_order = np.empty(len(order_ids), ORDER_ROW)
        per_order["order_id"] = order_ids
        per_order["customer_id"] = buyers
        per_order["ordered_at"] = ordered
        for name, step in zip(STAGE_OFFSETS, steps, strict=True):
            per_order[name] = np.where(step == NEVER, -1, step - ordered)
        per_order["promised_day"] = timeline["promised_day"]
        per_order["shipping"] = shipping
        per_order["payment"] = payment
        per_order["canceled"] = canceled
        rows = take(per_order, order_index)
        rows["stage"] = stage
        rows["is_update"] = as_of > day
        rows["next_version_day"] = np.minimum(next_day[order_index, stage], np.iinfo(np.int32).max)

        late = (as_of == day) & (lag[order_index] > 0)
        later = (as_of > day) & ~late
        self.pending_orders.file(take(rows, later), as_of[later])
        if late.any():
            self.late_orders.file(take(rows, late), as_of[late] + lag[order_index][late])
        return take(rows, (as_of == day) & ~late)

    def _day_of(self, seconds: np.ndarray) -> np.ndarray:
        return np.where(seconds == NEVER, NEVER, (seconds - self.opening_epoch) // DAY)

    def _timeline(self, rng: np.random.Generator, ordered: np.ndarray, payment: np.ndarray) -> dict[str, np.ndarray]:
        """Every step's instant, NEVER for steps that do not happen."""
        n = len(ordered)
        canceled = rng.random(n) < params.CANCEL_RATE
        bank_delay = 6 * HOUR + np.minimum(rng.exponential(DAY, n), 3 * DAY)
        card_delay = 30 + rng.exponential(180, n)
        paid = ordered + np.where(payment == _BANK_TRANSFER, bank_delay, np.where(payment == _VOUCHER, 5, card_delay))
        shipped = paid + np.clip(_lognormal_seconds(rng, 18 * HOUR, 0.7, n), HOUR, 6 * DAY)
        natural = shipped + np.clip(_lognormal_seconds(rng, 2.6 * DAY, 0.45, n), 0.3 * DAY, 14 * DAY)
        promised_day = ordered // DAY + _PROMISE_DAYS[weighted_pick(rng, n, _PROMISE_CUMULATIVE)]
        promised_end = (promised_day + 1) * DAY
        late = rng.random(n) < params.LATE_DELIVERY_RATE
        late_arrival = promised_end + 2 * HOUR + rng.exponential(1.8 * DAY, n)
        squeezed = shipped + (promised_end - shipped) * (0.4 + 0.6 * rng.random(n))
        on_time = np.where((natural < promised_end) | (promised_end <= shipped), natural, squeezed)
        delivered = np.minimum(np.where(late, np.maximum(natural, late_arrival), on_time), ordered + 28 * DAY)
        returned = rng.random(n) < params.RETURN_RATE
        return_delay = DAY + np.minimum(rng.exponential(4 * DAY, n), 13 * DAY)
        cancel_at = ordered + 600 + np.minimum(rng.exponential(8 * HOUR, n), 3 * DAY)

        paid = paid.astype(np.int64)
        cancel_at = cancel_at.astype(np.int64)
        return {
            "ordered_at": ordered,
            "paid_at": np.where(canceled & (paid >= cancel_at), NEVER, paid),
            "shipped_at": np.where(canceled, NEVER, shipped.astype(np.int64)),
            "delivered_at": np.where(canceled, NEVER, delivered.astype(np.int64)),
            "canceled_at": np.where(canceled, cancel_at, NEVER),
            "returned_at": np.where(~canceled & returned, (delivered + return_delay).astype(np.int64), NEVER),
            "promised_day": promised_day.astype(np.int64),
            "late_delivery": ~canceled & (delivered.astype(np.int64) >= promised_end),
        }

    def _lines(
        self,
        rng: np.random.Generator,
        day: int,
        order_ids: np.ndarray,
        ordered: np.ndarray,
        per_order: np.ndarray,
        first_id: int,
    ) -> dict[str, np.ndarray]:
        """The chunk's order lines: products by popularity, a few multiples, some discounted."""
        n = len(order_ids)
        total = int(per_order.sum())
        order_index = np.repeat(np.arange(n), per_order)
        starts = np.cumsum(per_order) - per_order
        line_number = np.arange(total) - starts[order_index] + 1
        created = ordered[order_index]

        picked = self.products.pick_products(np.sort(rng.random(total)), int(self.volumes.first_product_id[day]) - 1)
        # Deal the (ascending) picks to random lines, then list each basket by product id: a product
        # bought twice in one order then sits on adjacent lines.
        basket_key = order_index * (int(picked[-1]) + 1) + picked[rng.permutation(total)]
        basket_key.sort()
        products = basket_key % (int(picked[-1]) + 1)
        quantity = np.where(rng.random(total) < 0.14, 1 + rng.geometric(0.6, total), 1)
        quantity = np.minimum(quantity, 10)
        unit_price, unit_cost = self.products.priced(products, created)
        percent = _DISCOUNT_PERCENT[weighted_pick(rng, total, _DISCOUNT_CUMULATIVE)]
        discounted = rng.random(total) < params.DISCOUNTED_LINE_RATE
        discount = np.where(discounted, np.round(unit_price * quantity * percent / 100.0), 0).astype(np.int64)
        return {
            "order_item_id": first_id + np.arange(total, dtype=np.int64),
            "order_id": order_ids[order_index],
            "order_index": order_index,
            "product_id": products,
            "line_number": line_number.astype(np.int64),
            "quantity": quantity.astype(np.int64),
            "unit_price": unit_price,
            "discount": discount,
            "unit_cost": unit_cost,
            "created_at": created,
        }

    def _late_lag(self, day: int, count: int) -> np.ndarray:
        """Days by which an order's first row misses its extract (0 for nearly all), from the defect stream."""
        rng = day_rng(self.seed, day, _LATE_STREAM)
        late = rng.random(count) < params.LATE_ARRIVING_RATE
        lag = (rng.random(count) < 0.3).astype(np.int8)
        lag += 1
        lag[~(late & self.dirty)] = 0
        return lag

    def _reviews(
        self,
        rng: np.random.Generator,
        lines: dict[str, np.ndarray],
        timeline: dict[str, np.ndarray],
        reserved: int,
        first_id: int,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Pick the chunk's reviewed lines (delivered orders, one per product per order) and write them.

        Returns REVIEW_ROW records in writing order and the day each is written.
        """
        index = lines["order_index"]
        delivered = timeline["delivered_at"][index]
        # A product twice in one order (on adjacent lines) is reviewed once.
        repeated = np.zeros(len(index), dtype=bool)
        repeated[1:] = (index[1:] == index[:-1]) & (lines["product_id"][1:] == lines["product_id"][:-1])
        eligible = np.flatnonzero((delivered != NEVER) & ~repeated)
        weight = np.where(lines["line_number"][eligible] == 1, 2.0, 1.0)
        keys = np.log(1.0 - rng.random(len(eligible))) / weight
        wanted = min(reserved, len(eligible))
        chosen = np.sort(eligible[np.argpartition(-keys, wanted - 1)[:wanted]]) if wanted else eligible[:0]

        order = index[chosen]
        mood = np.where(timeline["returned_at"][order] != NEVER, 2, np.where(timeline["late_delivery"][order], 1, 0))
        u = rng.random(len(chosen))
        rating = np.ones(len(chosen), dtype=np.int64)
        for stars in range(4):
            rating += u >= _RATING_CUMULATIVE[:, stars].take(mood)
        written = delivered[chosen] + 1800 + np.minimum(rng.exponential(2.5 * DAY, len(chosen)), 15 * DAY)
        written = written.astype(np.int64)
        has_title = rng.random(len(chosen)) < 0.45
        has_comment = rng.random(len(chosen)) < np.where(rating <= 2, 0.6, 0.3)
        title_pick = rng.random(len(chosen))
        comment_pick = rng.random(len(chosen))
        writing_order = np.lexsort((lines["order_item_id"][chosen], written))
        chosen, rating, written = chosen[writing_order], rating[writing_order], written[writing_order]
        records = np.empty(len(chosen), REVIEW_ROW)
        records["review_id"] = first_id + np.arange(len(chosen), dtype=np.int64)
        records["order_id"] = lines["order_id"][chosen]
        records["product_id"] = lines["product_id"][chosen]
        records["rating"] = rating
        records["title_pick"] = np.where(has_title[writing_order], title_pick[writing_order], -1.0)
        records["comment_pick"] = np.where(has_comment[writing_order], comment_pick[writing_order], -1.0)
        records["created_at"] = written
        return records, self._day_of(written)
