"""Counter-based randomness: every random value is a pure function of (seed, key, field).

Entities (customers, products) take their attributes from `splitmix64` over their id, so an
attribute never depends on how many rows were generated before it. Per-day work (orders, defects)
draws from a Philox stream keyed by (seed, day, stream), so a day's draws are the same whichever
call produces that day: this is what makes incremental runs equal one long run.
"""

from __future__ import annotations

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 1.0 / (1 << 53)


def splitmix64(values: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, element-wise on uint64 (wrapping arithmetic is intended)."""
    z = values.astype(np.uint64, copy=True)
    z += _GOLDEN
    z ^= z >> np.uint64(30)
    z *= _MIX1
    z ^= z >> np.uint64(27)
    z *= _MIX2
    z ^= z >> np.uint64(31)
    return z


def keyed_hash(seed: int, field: int, keys: np.ndarray | int) -> np.ndarray:
    """64 random bits per key, distinct for each (seed, field) pair."""
    salt = splitmix64(np.array([(seed & 0xFFFFFFFF) << 20 | (field & 0xFFFFF)], dtype=np.uint64))[0]
    return splitmix64(np.asarray(keys, dtype=np.int64).astype(np.uint64) ^ salt)


def keyed_uniform(seed: int, field: int, keys: np.ndarray | int) -> np.ndarray:
    """A float in [0, 1) per key, a pure function of (seed, field, key)."""
    return (keyed_hash(seed, field, keys) >> np.uint64(11)).astype(np.float64) * _TO_UNIT


def keyed_pick(seed: int, field: int, keys: np.ndarray, cumulative_weights: np.ndarray) -> np.ndarray:
    """An index into a weighted list per key (`cumulative_weights` ends with the total)."""
    return bucket(keyed_uniform(seed, field, keys) * cumulative_weights[-1], cumulative_weights)


def day_rng(seed: int, day: int, stream: int, *keys: int) -> np.random.Generator:
    """The random stream of one (day, purpose, keys...): independent of every other day and purpose."""
    return np.random.Generator(np.random.Philox(np.random.SeedSequence([seed, day, stream, *keys])))


def weighted_pick(rng: np.random.Generator, size: int, cumulative_weights: np.ndarray) -> np.ndarray:
    """`size` indices drawn from a weighted list with a day stream."""
    return bucket(rng.random(size) * cumulative_weights[-1], cumulative_weights)


def bucket(values: np.ndarray, cumulative_weights: np.ndarray) -> np.ndarray:
    """`np.searchsorted(cumulative_weights, values, side="right")`, by one comparison pass per weight when
    the list is short: several times faster than a binary search per value."""
    if len(cumulative_weights) > 32:
        return np.searchsorted(cumulative_weights, values, side="right")
    index = np.zeros(len(values), dtype=np.int64)
    for bound in cumulative_weights:
        index += values >= bound
    return index
