"""Orders, their lines and reviews: a whole lifecycle decided on the placement day, emitted as it happens.

Each placement day draws from its own stream: who buys, what, when it is paid, shipped, delivered,
canceled or returned, and which lines get a review. Rows then wait in pending buffers until the day
their event happens. Replaying the look-back window before a late start refills these buffers exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seeds_generator import params, vocab
from seeds_generator.buffer import DayBuckets
from seeds_generator.columns import NEVER, epoch_day
from seeds_generator.customers import CustomerBook
from seeds_generator.hashing import day_rng, weighted_pick
from seeds_generator.products import ProductBook
from seeds_generator.volumes import Volumes

_ORDERS_STREAM, _LATE_STREAM = 1, 2
DAY = params.SECONDS_PER_DAY
HOUR = 3600

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
EVENT_COLUMNS = ("ordered_at", "paid_at", "shipped_at", "delivered_at", "canceled_at", "returned_at")
#: Columns of a queued order row: the row as written, and what the day loop needs to know about it.
ORDER_ROW_COLUMNS = (
    *("order_id", "customer_id", "payment", "status"),
    *EVENT_COLUMNS,
    *("promised_day", "shipping", "updated_at", "is_update", "next_version_day"),
)
_SNAPSHOT_INPUTS = ("order_id", "customer_id", "payment", *EVENT_COLUMNS, "promised_day", "shipping")
LINE_COLUMNS = (
    *("order_item_id", "order_id", "product_id", "line_number", "quantity"),
    *("unit_price", "discount", "unit_cost", "created_at"),
)
REVIEW_COLUMNS = (
    "review_id",
    "order_id",
    "product_id",
    "rating",
    "title_pick",
    "comment_pick",
    "created_at",
)


def _lognormal_seconds(rng: np.random.Generator, median: float, sigma: float, size: int) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(size))


@dataclass
class DayRows:
    """What one day's extract carries from the order side, as numpy columns."""

    orders: dict[str, np.ndarray]
    #: How many of `orders` (at the end) are late first rows.
    late_orders: int
    lines: dict[str, np.ndarray]
    late_lines: int
    reviews: dict[str, np.ndarray]
    #: Order rows whose order has a newer version later in the same run (before `until`).
    superseded_orders: int
    #: Normal order rows of orders placed on an earlier day (status moves).
    order_updates: int


class OrderBook:
    """Places each day's orders and keeps what is still to be emitted."""

    def __init__(self, seed: int, volumes: Volumes, customers: CustomerBook, products: ProductBook, dirty: bool):
        self.seed = seed
        self.volumes = volumes
        self.customers = customers
        self.products = products
        self.dirty = dirty
        self.opening_epoch = epoch_day(params.OPENING_DATE) * DAY
        self.orders = DayBuckets(ORDER_ROW_COLUMNS)
        self.late_orders = DayBuckets(ORDER_ROW_COLUMNS)
        self.lines = DayBuckets(LINE_COLUMNS)
        self.late_lines = DayBuckets(LINE_COLUMNS)
        self.reviews = DayBuckets(REVIEW_COLUMNS)

    # --- placement -------------------------------------------------------------------------------
    def place(self, day: int) -> None:
        """Decide the whole life of the orders placed on `day` and queue their rows."""
        vol = self.volumes
        count = int(vol.orders[day])
        if count == 0:
            return
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
        old_buyers = self.customers.pick_buyers(np.sort(rng.random(existing)), first_new - 1)
        hours = weighted_pick(rng, existing, _HOUR_CUMULATIVE)
        old_times = day_start + hours * HOUR + rng.integers(0, HOUR, existing)
        buyers = np.concatenate((new_buyers, old_buyers))
        ordered = np.concatenate((new_times, old_times))
        placement_order = np.lexsort((buyers, ordered))
        buyers, ordered = buyers[placement_order], ordered[placement_order]
        order_ids = int(vol.first_order_id[day]) + np.arange(count, dtype=np.int64)

        payment = weighted_pick(rng, count, _PAYMENT_CUMULATIVE)
        timeline = self._timeline(rng, ordered, payment)
        lines = self._lines(rng, day, order_ids, ordered, int(vol.lines[day]))
        subtotal = np.bincount(
            lines["order_index"], weights=lines["unit_price"] * lines["quantity"] - lines["discount"], minlength=count
        )
        line_count = np.bincount(lines["order_index"], minlength=count)
        shipping = np.where(
            subtotal >= params.FREE_SHIPPING_FROM_CENTS, 0, np.array([499, 699, 999])[np.minimum(line_count, 3) - 1]
        )
        lag = self._late_lag(day, count)
        reviews = self._reviews(rng, day, lines, timeline)

        orders = {"order_id": order_ids, "customer_id": buyers, "payment": payment, **timeline, "shipping": shipping}
        self._queue_order_rows(day, orders, lag)
        line_lag = lag[lines.pop("order_index")]
        late = line_lag > 0
        self.lines.file({name: values[~late] for name, values in lines.items()}, np.full(int((~late).sum()), day))
        if late.any():
            self.late_lines.file({name: values[late] for name, values in lines.items()}, day + line_lag[late])
        self.reviews.file(reviews, reviews.pop("emit_day"))

    def _queue_order_rows(self, day: int, orders: dict[str, np.ndarray], lag: np.ndarray) -> None:
        """One row per order per day on which it changed, each as the source shows it that evening."""
        event_days = np.sort(np.stack([self._day_of(orders[name]) for name in EVENT_COLUMNS], axis=1), axis=1)
        distinct = event_days != NEVER
        distinct[:, 1:] &= event_days[:, 1:] != event_days[:, :-1]
        order_index, column = np.nonzero(distinct)  # by order, then by day
        as_of = event_days[order_index, column]
        same_order_next = np.append(order_index[1:] == order_index[:-1], False)
        next_version = np.where(same_order_next, np.append(as_of[1:], NEVER), NEVER)
        late = (as_of == day) & (lag[order_index] > 0)
        rows = self._snapshot({name: orders[name][order_index] for name in _SNAPSHOT_INPUTS}, as_of)
        # Narrow types: these rows wait in the buffer for days, and their size is most of its memory.
        rows.update(
            payment=rows["payment"].astype(np.int8),
            status=rows["status"].astype(np.int8),
            promised_day=rows["promised_day"].astype(np.int32),
            shipping=rows["shipping"].astype(np.int32),
            is_update=as_of > day,
            next_version_day=np.minimum(next_version, np.iinfo(np.int32).max).astype(np.int32),
        )
        self.orders.file({name: values[~late] for name, values in rows.items()}, as_of[~late])
        if late.any():
            self.late_orders.file(
                {name: values[late] for name, values in rows.items()}, as_of[late] + lag[order_index][late]
            )

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
        self, rng: np.random.Generator, day: int, order_ids: np.ndarray, ordered: np.ndarray, total: int
    ) -> dict[str, np.ndarray]:
        """Lines per order skewed to one with a long tail, adjusted to the day's fixed line total."""
        n = len(order_ids)
        per_order = np.where(rng.random(n) < 0.55, 1, 1 + rng.geometric(0.39, n))
        per_order = np.minimum(per_order, MAX_LINES)
        gap = total - int(per_order.sum())
        if gap > 0:
            multi = np.flatnonzero(per_order > 1)
            pool = multi if len(multi) else np.arange(n)
            np.add.at(per_order, pool[rng.integers(0, len(pool), gap)], 1)
        elif gap < 0:
            extra_slots = np.repeat(np.arange(n), per_order - 1)
            np.subtract.at(per_order, extra_slots[rng.choice(len(extra_slots), -gap, replace=False)], 1)
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
        unit_price = self.products.price_cents_at(products, created)
        percent = _DISCOUNT_PERCENT[weighted_pick(rng, total, _DISCOUNT_CUMULATIVE)]
        discounted = rng.random(total) < params.DISCOUNTED_LINE_RATE
        discount = np.where(discounted, np.round(unit_price * quantity * percent / 100.0), 0).astype(np.int64)
        return {
            "order_item_id": int(self.volumes.first_line_id[day]) + np.arange(total, dtype=np.int64),
            "order_id": order_ids[order_index],
            "order_index": order_index,
            "product_id": products,
            "line_number": line_number.astype(np.int64),
            "quantity": quantity.astype(np.int64),
            "unit_price": unit_price,
            "discount": discount,
            "unit_cost": self.products.unit_cost_cents(products),
            "created_at": created,
        }

    def _late_lag(self, day: int, count: int) -> np.ndarray:
        """Days by which an order's first row misses its extract (0 for nearly all), from the defect stream."""
        rng = day_rng(self.seed, day, _LATE_STREAM)
        late = rng.random(count) < params.LATE_ARRIVING_RATE
        lag = 1 + (rng.random(count) < 0.3)
        return np.where(late & self.dirty, lag, 0).astype(np.int64)

    def _reviews(
        self, rng: np.random.Generator, day: int, lines: dict[str, np.ndarray], timeline: dict[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        """Pick the day's reviewed lines (delivered orders, one per product per order) and write them."""
        index = lines["order_index"]
        delivered = timeline["delivered_at"][index]
        # A product twice in one order (on adjacent lines) is reviewed once.
        repeated = np.zeros(len(index), dtype=bool)
        repeated[1:] = (index[1:] == index[:-1]) & (lines["product_id"][1:] == lines["product_id"][:-1])
        eligible = np.flatnonzero((delivered != NEVER) & ~repeated)
        weight = np.where(lines["line_number"][eligible] == 1, 2.0, 1.0)
        keys = np.log(1.0 - rng.random(len(eligible))) / weight
        wanted = min(int(self.volumes.reviews[day]), len(eligible))
        chosen = np.sort(eligible[np.argpartition(-keys, wanted - 1)[:wanted]]) if wanted else eligible[:0]

        order = index[chosen]
        mood = np.where(timeline["returned_at"][order] != NEVER, 2, np.where(timeline["late_delivery"][order], 1, 0))
        u = rng.random(len(chosen))
        rating = 1 + (u[:, None] >= _RATING_CUMULATIVE[mood][:, :4]).sum(axis=1)
        written = delivered[chosen] + 1800 + np.minimum(rng.exponential(2.5 * DAY, len(chosen)), 15 * DAY)
        written = written.astype(np.int64)
        has_title = rng.random(len(chosen)) < 0.45
        has_comment = rng.random(len(chosen)) < np.where(rating <= 2, 0.6, 0.3)
        title_pick = rng.random(len(chosen))
        comment_pick = rng.random(len(chosen))
        writing_order = np.lexsort((lines["order_item_id"][chosen], written))
        chosen, rating, written = chosen[writing_order], rating[writing_order], written[writing_order]
        return {
            "review_id": int(self.volumes.first_review_id[day]) + np.arange(len(chosen), dtype=np.int64),
            "order_id": lines["order_id"][chosen],
            "product_id": lines["product_id"][chosen],
            "rating": rating.astype(np.int64),
            "title_pick": np.where(has_title[writing_order], title_pick[writing_order], -1.0),
            "comment_pick": np.where(has_comment[writing_order], comment_pick[writing_order], -1.0),
            "created_at": written,
            "emit_day": self._day_of(written),
        }

    # --- emission ----------------------------------------------------------------------------------
    def _snapshot(self, batch: dict[str, np.ndarray], as_of_day: np.ndarray) -> dict[str, np.ndarray]:
        """Order rows as the source shows them at the end of `as_of_day`."""
        end = self.opening_epoch + (as_of_day + 1) * DAY
        row = {"order_id": batch["order_id"], "customer_id": batch["customer_id"], "payment": batch["payment"]}
        visible = {}
        for name in EVENT_COLUMNS:
            seen = batch[name] < end
            visible[name] = seen
            row[name] = np.where(seen, batch[name], NEVER)
        row["status"] = np.select(
            [visible[name] for name in ("returned_at", "canceled_at", "delivered_at", "shipped_at", "paid_at")],
            [STATUS_RETURNED, STATUS_CANCELED, STATUS_DELIVERED, STATUS_SHIPPED, STATUS_PAID],
            STATUS_PLACED,
        )
        stacked = np.stack([row[name] for name in EVENT_COLUMNS], axis=1)
        row["updated_at"] = np.where(stacked == NEVER, 0, stacked).max(axis=1)
        row["promised_day"] = batch["promised_day"]
        row["shipping"] = batch["shipping"]
        return row

    def emit(self, day: int, render: bool, until: int) -> DayRows | None:
        """The rows `day`'s extract carries (None unless `render`); the day's queue is emptied either way.

        `until` is the first day this run does not write: it tells which rows a later row of the same
        run supersedes.
        """
        orders, late_orders = self.orders.pop(day), self.late_orders.pop(day)
        lines, late_lines = self.lines.pop(day), self.late_lines.pop(day)
        reviews = self.reviews.pop(day)
        if not render:
            return None
        # Rows by order id (placement order), as an extract by primary key; then the late ones
        # today's extract picked up.
        return DayRows(
            orders={name: np.concatenate((orders[name], late_orders[name])) for name in ORDER_ROW_COLUMNS},
            late_orders=len(late_orders["order_id"]),
            lines={name: np.concatenate((lines[name], late_lines[name])) for name in LINE_COLUMNS},
            late_lines=len(late_lines["order_id"]),
            reviews=reviews,
            superseded_orders=int((orders["next_version_day"] < until).sum())
            + int((late_orders["next_version_day"] < until).sum()),
            order_updates=int(orders["is_update"].astype(bool).sum()),
        )
