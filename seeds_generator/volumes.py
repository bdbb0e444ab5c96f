"""How many entities each day brings, and the first id of each day's block.

Counts are cheap closed-form functions of (seed, scale, day): a seasonal expectation times a small
hashed wobble. Ids are counters, so the first id of a day is the opening block plus the sum of the
earlier days' counts: a run starting on day 400 knows its ids without generating days 0-399.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from seeds_generator import params
from seeds_generator.hashing import keyed_uniform

# Field salts of the per-day count wobbles.
_CUSTOMERS, _PRODUCTS, _ORDERS, _LINES, _REVIEWS = 101, 102, 103, 104, 105
#: Monday .. Sunday, mean 1: shoppers buy a little less at the weekend.
WEEKDAY_FACTORS = np.array([1.06, 1.05, 1.03, 1.02, 0.98, 0.88, 0.98])


def black_friday(year: int) -> dt.date:
    """The day after the fourth Thursday of November."""
    first = dt.date(year, 11, 1)
    first_thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + dt.timedelta(days=22)


def _holiday_factor(date: dt.date) -> float:
    """Black Friday week, Cyber Monday, the December run-up and the Christmas lull."""
    offset = (date - black_friday(date.year)).days
    peak = {-4: 1.25, -3: 1.3, -2: 1.3, -1: 1.2, 0: 2.6, 1: 1.7, 2: 1.6, 3: 2.0, 4: 1.3}
    if offset in peak:
        return peak[offset]
    if date.month == 12 and date.day <= 20:
        return 1.15
    if date.month == 12 and 24 <= date.day <= 26:
        return 0.7
    return 1.0


def demand_factor(days: np.ndarray) -> np.ndarray:
    """Seasonal demand multiplier of each day ordinal: weekly x yearly x holidays."""
    dates = [params.OPENING_DATE + dt.timedelta(days=int(day)) for day in days]
    weekday = np.array([date.weekday() for date in dates], dtype=np.int64)
    day_of_year = np.array([date.timetuple().tm_yday for date in dates], dtype=np.float64)
    yearly = 1.0 + 0.10 * np.cos(2 * np.pi * (day_of_year - 340.0) / 365.25)
    holidays = np.array([_holiday_factor(date) for date in dates])
    return WEEKDAY_FACTORS[weekday] * yearly * holidays


def _wobbled(expected: np.ndarray, seed: int, salt: int, days: np.ndarray) -> np.ndarray:
    noise = keyed_uniform(seed, salt, days)
    carry = keyed_uniform(seed, salt + 50, days)
    factor = 1.0 - params.DAILY_NOISE + 2.0 * params.DAILY_NOISE * noise
    return np.floor(expected * factor + carry).astype(np.int64)


@dataclass(frozen=True)
class Volumes:
    """Per-day counts and id offsets for days 0 .. `horizon` - 1."""

    seed: int
    scale: float
    horizon: int
    _days: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_days", np.arange(self.horizon, dtype=np.int64))

    @cached_property
    def opening_customers(self) -> int:
        return max(1, round(params.OPENING_CUSTOMERS * self.scale))

    @cached_property
    def opening_products(self) -> int:
        return max(1, round(params.OPENING_PRODUCTS * self.scale))

    @cached_property
    def demand(self) -> np.ndarray:
        return demand_factor(self._days)

    @cached_property
    def new_customers(self) -> np.ndarray:
        expected = params.NEW_CUSTOMERS_PER_DAY * self.scale * np.sqrt(self.demand)
        return _wobbled(expected, self.seed, _CUSTOMERS, self._days)

    @cached_property
    def new_products(self) -> np.ndarray:
        expected = np.full(self.horizon, params.NEW_PRODUCTS_PER_DAY * self.scale)
        return _wobbled(expected, self.seed, _PRODUCTS, self._days)

    @cached_property
    def orders(self) -> np.ndarray:
        return _wobbled(params.ORDERS_PER_DAY * self.scale * self.demand, self.seed, _ORDERS, self._days)

    @cached_property
    def lines(self) -> np.ndarray:
        lines = _wobbled(self.orders * params.LINES_PER_ORDER, self.seed, _LINES, self._days)
        return np.clip(lines, self.orders, self.orders * 20)

    @cached_property
    def reviews(self) -> np.ndarray:
        """Review ids reserved per placement day; a day uses fewer only if too few lines qualify."""
        return _wobbled(self.lines * params.REVIEWS_PER_LINE, self.seed, _REVIEWS, self._days)

    @staticmethod
    def _firsts(counts: np.ndarray, first: int) -> np.ndarray:
        """First id of each day's block, plus one past the last day."""
        return first + np.concatenate(([0], np.cumsum(counts)))

    @cached_property
    def first_customer_id(self) -> np.ndarray:
        return self._firsts(self.new_customers, self.opening_customers + 1)

    @cached_property
    def first_product_id(self) -> np.ndarray:
        return self._firsts(self.new_products, self.opening_products + 1)

    @cached_property
    def first_order_id(self) -> np.ndarray:
        return self._firsts(self.orders, 1)

    @cached_property
    def first_line_id(self) -> np.ndarray:
        return self._firsts(self.lines, 1)

    @cached_property
    def first_review_id(self) -> np.ndarray:
        return self._firsts(self.reviews, 1)
