"""Customers: every attribute a pure function of (seed, customer id), so any version can be rebuilt alone.

A customer moves city at most once and changes e-mail at most once, on days drawn from their id;
the profile as of a day is therefore known without replaying history, which is what lets a run that
starts late emit correct SCD2 versions.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from seeds_generator import idcache, params, vocab
from seeds_generator.columns import dates, epoch_day, integers_as_text, join, pick, timestamps
from seeds_generator.hashing import keyed_pick, keyed_uniform
from seeds_generator.volumes import Volumes
from shop_contract.raw_tables import CUSTOMERS

# Field salts.
_CREATED, _GENDER, _FIRST, _LAST, _BIRTH_A, _BIRTH_B, _CITY, _DOMAIN, _CHANNEL = range(1, 10)
_ACTIVITY_A, _ACTIVITY_B, _MOVE, _EMAIL, _MOVE_TIME, _EMAIL_TIME, _NEW_CITY, _NEW_DOMAIN = range(10, 18)

_FIRST_NAMES = pa.array(vocab.FEMALE_FIRST_NAMES + vocab.MALE_FIRST_NAMES)
_FIRST_LOWER = pc.utf8_lower(_FIRST_NAMES)
_LAST_NAMES = pa.array(vocab.LAST_NAMES)
_LAST_LOWER = pc.utf8_lower(_LAST_NAMES)
_CITY_NAMES = pa.array([city for city, _, _, _ in vocab.CITIES])
_STATES = pa.array([state for _, state, _, _ in vocab.CITIES])
_COUNTRIES = pa.array([country for _, _, country, _ in vocab.CITIES])
_CITY_CUMULATIVE = np.cumsum([weight for *_, weight in vocab.CITIES]).astype(np.float64)
_DOMAINS = pa.array(vocab.EMAIL_DOMAINS)
_DOMAIN_CUMULATIVE = np.cumsum(vocab.EMAIL_DOMAIN_WEIGHTS).astype(np.float64)
_GENDERS = pa.array(vocab.GENDERS)
_GENDER_CUMULATIVE = np.cumsum(vocab.GENDER_WEIGHTS).astype(np.float64)
_CHANNELS = pa.array(vocab.ACQUISITION_CHANNELS)
_CHANNEL_CUMULATIVE = np.cumsum(vocab.ACQUISITION_WEIGHTS).astype(np.float64)
_N_FEMALE = len(vocab.FEMALE_FIRST_NAMES)
_N_MALE = len(vocab.MALE_FIRST_NAMES)


def _normal(seed: int, field_a: int, field_b: int, ids: np.ndarray) -> np.ndarray:
    """Standard normal per id (Box-Muller over two hashed uniforms)."""
    u1 = 1.0 - keyed_uniform(seed, field_a, ids)
    u2 = keyed_uniform(seed, field_b, ids)
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


class CustomerBook:
    """Customer attributes by id, buyer weights for the daily draw, and the ids that change on each day.

    Memory holds the buyer weights of the first ids only (`idcache`), whatever the scale.
    """

    #: Resident bytes per customer: the cumulative buying weight (past the resident ids, read from disk).
    WEIGHT_BYTES_PER_ID = 8

    def __init__(self, seed: int, volumes: Volumes, spill: Path, change_days: range) -> None:
        """`change_days`: the days whose changes `changed_on` will be asked for; `spill`: a folder for them."""
        self.seed = seed
        self.volumes = volumes
        self.opening_epoch = epoch_day(params.OPENING_DATE) * params.SECONDS_PER_DAY
        total = int(volumes.first_customer_id[-1]) - 1
        block = idcache.ENTITY_BLOCK
        budget = idcache.CACHE_BYTES
        resident = idcache.resident_ids(total, block, budget, self.WEIGHT_BYTES_PER_ID)
        self._weights = idcache.WeightedIds(total, block, resident, spill / "customer_weights.bin")
        self._changes = idcache.DayFiles(spill, "customer_changes", change_days.start, change_days.stop)
        self._scanned = False

    @property
    def cache_bytes(self) -> int:
        """Bytes of per-id values held in memory."""
        return self._weights.nbytes

    # --- pure functions of the id ------------------------------------------------------------
    def created_at(self, ids: np.ndarray) -> np.ndarray:
        """Sign-up second: opening customers spread over the years before opening, later ones within their day."""
        vol = self.volumes
        u = keyed_uniform(self.seed, _CREATED, ids)
        opening = ids <= vol.opening_customers
        span = params.OPENING_CUSTOMER_HISTORY_DAYS * params.SECONDS_PER_DAY
        before = self.opening_epoch - span + np.floor((ids - 1 + u) * span / vol.opening_customers)
        day = np.clip(np.searchsorted(vol.first_customer_id, ids, side="right") - 1, 0, vol.horizon - 1)
        position = ids - vol.first_customer_id[day]
        per_day = np.maximum(vol.new_customers[day], 1)
        within = (
            self.opening_epoch
            + day * params.SECONDS_PER_DAY
            + np.floor((position + u) * params.SECONDS_PER_DAY / per_day)
        )
        return np.where(opening, before, within).astype(np.int64)

    def change_days(self, ids: np.ndarray) -> np.ndarray:
        """Move day and e-mail change day of each id, shape (n, 2), counted from the day the profile
        clock starts: the sign-up day, or the opening day for older accounts."""
        created_day = (self.created_at(ids) - self.opening_epoch) // params.SECONDS_PER_DAY
        anchor = np.maximum(created_day, 0) + 1
        days = np.empty((len(ids), 2), dtype=np.int64)
        for column, (field, mean_days) in enumerate(
            ((_MOVE, params.MEAN_DAYS_TO_MOVE), (_EMAIL, params.MEAN_DAYS_TO_EMAIL_CHANGE))
        ):
            u = keyed_uniform(self.seed, field, ids)
            days[:, column] = anchor + np.floor(-np.log1p(-u) * mean_days).astype(np.int64)
        return days

    def _activity(self, ids: np.ndarray) -> np.ndarray:
        """Integer buying weight (integers keep cumulative sums exact whatever the chunking)."""
        z = _normal(self.seed, _ACTIVITY_A, _ACTIVITY_B, ids)
        return np.maximum(1, np.round(1000.0 * np.exp(params.BUYER_ACTIVITY_SIGMA * z))).astype(np.int64)

    # --- the daily loop's look-ups ---------------------------------------------------------------
    def _scan(self) -> None:
        """One pass over every id of the run, a block at a time: buyer weights, and the change days."""
        if self._scanned:
            return
        for ids in idcache.id_blocks(self._weights.total, self._weights.block):
            self._weights.add(self._activity(ids))
            self._changes.file(ids, self.change_days(ids))
        self._scanned = True

    def pick_buyers(self, sorted_uniforms: np.ndarray, last_id: int) -> np.ndarray:
        """Customers (ids 1..last_id) drawn in proportion to their weight, ascending."""
        self._scan()
        return self._weights.pick(sorted_uniforms, last_id)

    def changed_on(self, day: int, last_id: int) -> np.ndarray:
        """Ids of customers (up to last_id) whose profile changes on `day`, ascending; each day is asked once."""
        self._scan()
        ids = self._changes.pop(day)
        return ids[ids <= last_id]

    # --- rows ------------------------------------------------------------------------------------
    def rows(self, ids: np.ndarray, as_of_day: int | None) -> pa.Table:
        """Rows for `ids`: as first written (as_of_day None) or as of the end of a change day."""
        seed = self.seed
        created = self.created_at(ids)
        gender = keyed_pick(seed, _GENDER, ids, _GENDER_CUMULATIVE)
        u_first = keyed_uniform(seed, _FIRST, ids)
        first = np.where(
            gender == 0,
            u_first * _N_FEMALE,
            np.where(gender == 1, _N_FEMALE + u_first * _N_MALE, u_first * (_N_FEMALE + _N_MALE)),
        ).astype(np.int64)
        last = (keyed_uniform(seed, _LAST, ids) * len(_LAST_NAMES)).astype(np.int64)
        city = keyed_pick(seed, _CITY, ids, _CITY_CUMULATIVE)
        domain = keyed_pick(seed, _DOMAIN, ids, _DOMAIN_CUMULATIVE)
        updated = created
        if as_of_day is not None:
            day_start = self.opening_epoch + as_of_day * params.SECONDS_PER_DAY
            move_day, email_day = self.change_days(ids).T
            moved = move_day <= as_of_day
            new_email = email_day <= as_of_day
            other_city = keyed_pick(seed, _NEW_CITY, ids, _CITY_CUMULATIVE)
            other_city = np.where(other_city == city, (city + 1) % len(_CITY_NAMES), other_city)
            city = np.where(moved, other_city, city)
            shift = 1 + (keyed_uniform(seed, _NEW_DOMAIN, ids) * (len(_DOMAINS) - 1)).astype(np.int64)
            domain = np.where(new_email, (domain + shift) % len(_DOMAINS), domain)
            move_at = day_start + (keyed_uniform(seed, _MOVE_TIME, ids) * params.SECONDS_PER_DAY).astype(np.int64)
            email_at = day_start + (keyed_uniform(seed, _EMAIL_TIME, ids) * params.SECONDS_PER_DAY).astype(np.int64)
            updated = np.maximum(
                np.where(move_day == as_of_day, move_at, 0),
                np.where(email_day == as_of_day, email_at, 0),
            )
        # Adults at sign-up, median about 40, capped so that nobody passes 90 within a few years.
        age = 18.0 + np.exp(np.log(21.0) + 0.6 * _normal(seed, _BIRTH_A, _BIRTH_B, ids))
        age = np.minimum(age, 86.0)
        birth = created // params.SECONDS_PER_DAY - np.floor(age * 365.25).astype(np.int64)
        email = join(
            pick(_FIRST_LOWER, first), ".", pick(_LAST_LOWER, last), integers_as_text(ids), "@", pick(_DOMAINS, domain)
        )
        columns = {
            "customer_id": pa.array(ids, type=pa.int64()),
            "email": email,
            "first_name": pick(_FIRST_NAMES, first),
            "last_name": pick(_LAST_NAMES, last),
            "gender": pick(_GENDERS, gender),
            "birth_date": dates(birth),
            "city": pick(_CITY_NAMES, city),
            "state": pick(_STATES, city),
            "country_code": pick(_COUNTRIES, city),
            "acquisition_channel": pick(_CHANNELS, keyed_pick(seed, _CHANNEL, ids, _CHANNEL_CUMULATIVE)),
            "created_at": timestamps(created),
            "updated_at": timestamps(updated),
        }
        return pa.table(columns).select(list(CUSTOMERS.column_names))
