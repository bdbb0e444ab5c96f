"""Products: the catalogue, every attribute a pure function of (seed, product id).

A product changes price at most twice, on days drawn from its id, so the price on any date (for an
order line or a re-sent catalogue row) is computed directly, never looked up in a history.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from seeds_generator import idcache, params, vocab
from seeds_generator.columns import epoch_day, integers_as_text, join, money, pick, timestamps
from seeds_generator.hashing import keyed_pick, keyed_uniform
from seeds_generator.volumes import Volumes
from shop_contract.raw_tables import PRODUCTS

_CREATED, _CATEGORY, _BRAND, _ADJECTIVE, _NOUN, _PRICE_A, _PRICE_B, _COST, _WEIGHT_A, _WEIGHT_B = range(1, 11)
_POPULARITY_A, _POPULARITY_B, _CHANGE_1, _CHANGE_2, _FACTOR_1, _FACTOR_2, _CHANGE_TIME = range(11, 18)

_CATEGORY_NAMES = tuple(vocab.CATEGORY_PROFILES)
_CATEGORIES = pa.array(_CATEGORY_NAMES)
_CATEGORY_CODES = pa.array([name[:3].upper() for name in _CATEGORY_NAMES])
_CATEGORY_CUMULATIVE = np.cumsum([share for share, *_ in vocab.CATEGORY_PROFILES.values()]).astype(np.float64)
_PRICE_FACTOR = np.log([factor for _, factor, _, _ in vocab.CATEGORY_PROFILES.values()])
_TYPICAL_GRAMS = np.array([grams for _, _, grams, _ in vocab.CATEGORY_PROFILES.values()], dtype=np.float64)
_NOUNS_PER_CATEGORY = len(next(iter(vocab.CATEGORY_PROFILES.values()))[3])
_NOUNS = pa.array([noun for *_, nouns in vocab.CATEGORY_PROFILES.values() for noun in nouns])
_BRANDS = pa.array(vocab.BRANDS)
_ADJECTIVES = pa.array(vocab.ADJECTIVES)

# Category price levels pull 60% of the spread; the rest is within-category, so that the whole
# catalogue keeps the log-normal median and sigma in params.
_SHARES = np.diff(np.concatenate(([0.0], _CATEGORY_CUMULATIVE))) / _CATEGORY_CUMULATIVE[-1]
_CATEGORY_SHIFT = 0.6 * (_PRICE_FACTOR - np.dot(_SHARES, _PRICE_FACTOR))
_WITHIN_SIGMA = float(np.sqrt(params.PRICE_SIGMA**2 - np.dot(_SHARES, _CATEGORY_SHIFT**2)))


def _normal(seed: int, field_a: int, field_b: int, ids: np.ndarray) -> np.ndarray:
    u1 = 1.0 - keyed_uniform(seed, field_a, ids)
    u2 = keyed_uniform(seed, field_b, ids)
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


def _shelf_cents(amount_cents: np.ndarray) -> np.ndarray:
    """Round up to a .99 price, at least 0.99."""
    return np.maximum(99, np.ceil(amount_cents / 100.0).astype(np.int64) * 100 - 1)


class ProductBook:
    """Product attributes and prices by id, popularity weights for the basket draw, and the ids that
    change price on each day.

    Memory holds the price book and weights of the first ids only (`idcache`), whatever the scale.
    """

    #: Resident bytes per product: cumulative popularity, first (a basket draw past the resident ids reads
    #: them from disk, once per chunk); then cost, three prices and two change instants (an order line
    #: past them computes its price, about 0.12 microseconds more).
    WEIGHT_BYTES_PER_ID = 8
    PRICE_BYTES_PER_ID = 4 + 3 * 4 + 2 * 8

    def __init__(self, seed: int, volumes: Volumes, spill: Path, change_days: range) -> None:
        """`change_days`: the days whose changes `changed_on` will be asked for; `spill`: a folder for them."""
        self.seed = seed
        self.volumes = volumes
        self.opening_epoch = epoch_day(params.OPENING_DATE) * params.SECONDS_PER_DAY
        total = int(volumes.first_product_id[-1]) - 1
        block = idcache.ENTITY_BLOCK
        budget = idcache.CACHE_BYTES
        weighted = idcache.resident_ids(total, block, budget, self.WEIGHT_BYTES_PER_ID)
        self._weights = idcache.WeightedIds(total, block, weighted, spill / "product_weights.bin")
        left = budget - weighted * self.WEIGHT_BYTES_PER_ID
        self._resident = idcache.resident_ids(total, block, left, self.PRICE_BYTES_PER_ID)
        self._cost = np.empty(self._resident, dtype=np.int32)
        self._prices = np.empty((self._resident, 3), dtype=np.int32)
        self._change_at = np.empty((self._resident, 2), dtype=np.int64)
        self._changes = idcache.DayFiles(spill, "product_changes", change_days.start, change_days.stop)
        self._scanned = False

    @property
    def cache_bytes(self) -> int:
        """Bytes of per-id values held in memory."""
        return self._cost.nbytes + self._prices.nbytes + self._change_at.nbytes + self._weights.nbytes

    def created_at(self, ids: np.ndarray) -> np.ndarray:
        vol = self.volumes
        u = keyed_uniform(self.seed, _CREATED, ids)
        opening = ids <= vol.opening_products
        span = params.OPENING_PRODUCT_HISTORY_DAYS * params.SECONDS_PER_DAY
        before = self.opening_epoch - span + np.floor((ids - 1 + u) * span / vol.opening_products)
        day = np.clip(np.searchsorted(vol.first_product_id, ids, side="right") - 1, 0, vol.horizon - 1)
        position = ids - vol.first_product_id[day]
        per_day = np.maximum(vol.new_products[day], 1)
        within = (
            self.opening_epoch
            + day * params.SECONDS_PER_DAY
            + np.floor((position + u) * params.SECONDS_PER_DAY / per_day)
        )
        return np.where(opening, before, within).astype(np.int64)

    def category(self, ids: np.ndarray) -> np.ndarray:
        return keyed_pick(self.seed, _CATEGORY, ids, _CATEGORY_CUMULATIVE)

    def _base_price_cents(self, ids: np.ndarray) -> np.ndarray:
        mu = np.log(params.PRICE_MEDIAN * 100.0) + _CATEGORY_SHIFT[self.category(ids)]
        return _shelf_cents(np.exp(mu + _WITHIN_SIGMA * _normal(self.seed, _PRICE_A, _PRICE_B, ids)))

    def _change_days(self, ids: np.ndarray) -> np.ndarray:
        """Day ordinals of the first and second price change, shape (n, 2)."""
        anchor = np.maximum((self.created_at(ids) - self.opening_epoch) // params.SECONDS_PER_DAY, 0)
        mean = params.MEAN_DAYS_TO_PRICE_CHANGE
        first = anchor + 1 + np.floor(-np.log1p(-keyed_uniform(self.seed, _CHANGE_1, ids)) * mean).astype(np.int64)
        second = first + 1 + np.floor(-np.log1p(-keyed_uniform(self.seed, _CHANGE_2, ids)) * mean).astype(np.int64)
        return np.stack((first, second), axis=1)

    def _price_book(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Unit cost, the three successive shelf prices (n, 3) and the two change instants (n, 2) of each id."""
        seed, span = self.seed, params.PRICE_CHANGE_SPAN
        base = self._base_price_cents(ids)
        low, high = params.COST_RATIO_RANGE
        cost = np.round(base * (low + (high - low) * keyed_uniform(seed, _COST, ids))).astype(np.int32)
        prices = np.empty((len(ids), 3), dtype=np.int32)
        prices[:, 0] = base
        prices[:, 1] = _shelf_cents(base * (1.0 - span + 2 * span * keyed_uniform(seed, _FACTOR_1, ids)))
        prices[:, 2] = _shelf_cents(base * (1.0 - span + 2 * span * keyed_uniform(seed, _FACTOR_2, ids)))
        return cost, prices, self._change_instants_of(ids)

    def _change_instants_of(self, ids: np.ndarray) -> np.ndarray:
        """First and second price change instant of each id, shape (n, 2), computed."""
        # Changes happen in the first hour of their day (the nightly repricing job).
        offset = (keyed_uniform(self.seed, _CHANGE_TIME, ids) * 3600).astype(np.int64)
        return self.opening_epoch + self._change_days(ids) * params.SECONDS_PER_DAY + offset[:, None]

    def _popularity(self, ids: np.ndarray) -> np.ndarray:
        """Integer basket weight (integers keep cumulative sums exact whatever the chunking)."""
        z = _normal(self.seed, _POPULARITY_A, _POPULARITY_B, ids)
        return np.maximum(1, np.round(1000.0 * np.exp(params.PRODUCT_POPULARITY_SIGMA * z))).astype(np.int64)

    def _scan(self) -> None:
        """One pass over every id of the run, a block at a time: the resident price book, popularity
        weights and the change days."""
        if self._scanned:
            return
        for ids in idcache.id_blocks(self._weights.total, self._weights.block):
            cost, prices, change_at = self._price_book(ids)
            start = int(ids[0]) - 1
            if start < self._resident:
                self._cost[start : start + len(ids)] = cost
                self._prices[start : start + len(ids)] = prices
                self._change_at[start : start + len(ids)] = change_at
            self._weights.add(self._popularity(ids))
            self._changes.file(ids, self._day_of(change_at))
        self._scanned = True

    def _day_of(self, change_at: np.ndarray) -> np.ndarray:
        """Day ordinals of change instants (changes happen in their day's first hour)."""
        return (change_at - self.opening_epoch) // params.SECONDS_PER_DAY

    def priced(self, ids: np.ndarray, seconds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Shelf price of each product at each instant, and its unit cost (both int32 cents)."""
        self._scan()
        if len(ids) == 0 or int(ids.max()) <= self._resident:
            return self._priced_resident(ids, seconds)
        price = np.empty(len(ids), dtype=np.int32)
        cost = np.empty(len(ids), dtype=np.int32)
        near = ids <= self._resident
        price[near], cost[near] = self._priced_resident(ids[near], seconds[near])
        far = ~near
        far_cost, prices, change_at = self._price_book(ids[far])
        version = (seconds[far] >= change_at[:, 0]).astype(np.int64) + (seconds[far] >= change_at[:, 1])
        price[far] = prices.reshape(-1).take(3 * np.arange(len(far_cost)) + version)
        cost[far] = far_cost
        return price, cost

    def _priced_resident(self, ids: np.ndarray, seconds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # Flat one-dimensional takes: numpy's two-dimensional fancy indexing is several times slower.
        first_at = self._change_at.reshape(-1).take(2 * (ids - 1))
        second_at = self._change_at.reshape(-1).take(2 * (ids - 1) + 1)
        version = (seconds >= first_at).astype(np.int64) + (seconds >= second_at)
        return self._prices.reshape(-1).take(3 * (ids - 1) + version), self._cost.take(ids - 1)

    def _change_instants(self, ids: np.ndarray) -> np.ndarray:
        """First and second price change instant of each id, shape (n, 2), looked up where resident."""
        self._scan()
        if len(ids) == 0 or int(ids.max()) <= self._resident:
            return self._change_at[ids - 1]
        change_at = np.empty((len(ids), 2), dtype=np.int64)
        near = ids <= self._resident
        change_at[near] = self._change_at[ids[near] - 1]
        change_at[~near] = self._change_instants_of(ids[~near])
        return change_at

    def pick_products(self, sorted_uniforms: np.ndarray, last_id: int) -> np.ndarray:
        """Products (ids 1..last_id) drawn in proportion to their weight, ascending."""
        self._scan()
        return self._weights.pick(sorted_uniforms, last_id)

    def changed_on(self, day: int, last_id: int) -> np.ndarray:
        """Ids of products (up to last_id) whose price changes on `day`, ascending; each day is asked once."""
        self._scan()
        ids = self._changes.pop(day)
        return ids[ids <= last_id]

    def change_days(self, ids: np.ndarray) -> np.ndarray:
        """First and second price change day of each id, shape (n, 2)."""
        return self._day_of(self._change_instants(ids))

    def rows(self, ids: np.ndarray, as_of_day: int | None) -> pa.Table:
        """Rows for `ids`: as first written (as_of_day None) or as re-sent on a price-change day."""
        seed = self.seed
        created = self.created_at(ids)
        category = self.category(ids)
        updated = created
        if as_of_day is not None:
            at = self._change_instants(ids)
            day_start = self.opening_epoch + as_of_day * params.SECONDS_PER_DAY
            on_day = (at >= day_start) & (at < day_start + params.SECONDS_PER_DAY)
            updated = np.where(on_day, at, 0).max(axis=1)
        price, cost = self.priced(ids, updated)
        brand = (keyed_uniform(seed, _BRAND, ids) * len(_BRANDS)).astype(np.int64)
        adjective = (keyed_uniform(seed, _ADJECTIVE, ids) * len(_ADJECTIVES)).astype(np.int64)
        noun = category * _NOUNS_PER_CATEGORY + (keyed_uniform(seed, _NOUN, ids) * _NOUNS_PER_CATEGORY).astype(np.int64)
        grams = _TYPICAL_GRAMS[category] * np.exp(0.5 * _normal(seed, _WEIGHT_A, _WEIGHT_B, ids))
        brand_names = pick(_BRANDS, brand)
        columns = {
            "product_id": pa.array(ids, type=pa.int64()),
            "sku": join(pick(_CATEGORY_CODES, category), "-", pc.utf8_lpad(integers_as_text(ids), 8, "0")),
            "product_name": join(brand_names, " ", pick(_ADJECTIVES, adjective), " ", pick(_NOUNS, noun)),
            "category": pick(_CATEGORIES, category),
            "brand": brand_names,
            "list_price": money(price),
            "unit_cost": money(cost),
            "weight_grams": pa.array(np.maximum(1, np.round(grams)).astype(np.int32)),
            "created_at": timestamps(created),
            "updated_at": timestamps(updated),
        }
        return pa.table(columns).select(list(PRODUCTS.column_names))
