"""The per-id caches of customers and products stay within a byte budget whatever the scale, and the
ids outside it, recomputed from the pure per-id functions, give the very same files.

At the test scales everything fits the default budget; shrinking the budget and the block size makes
most ids of a small run live outside it, where weighted draws, prices and change days are recomputed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from seeds_generator import generate, idcache
from seeds_generator.customers import CustomerBook
from seeds_generator.products import ProductBook
from seeds_generator.volumes import Volumes
from shop_contract import TABLES

SMALL_BLOCK = 97
SMALL_BUDGET = 8_000


@pytest.fixture
def small_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(idcache, "ENTITY_BLOCK", SMALL_BLOCK)
    monkeypatch.setattr(idcache, "CACHE_BYTES", SMALL_BUDGET)


def _files(folder: Path) -> dict[str, bytes]:
    return {table.name: (folder / f"{table.name}.csv").read_bytes() for table in TABLES} | {
        "truth": (folder / "_generation.json").read_bytes()
    }


@pytest.mark.parametrize("scale", [1, 1_000, 10_000, 1_000_000])
def test_cache_bytes_do_not_grow_with_scale(tmp_path: Path, scale: float) -> None:
    volumes = Volumes(seed=42, scale=scale, horizon=31)
    for book in (CustomerBook(42, volumes, tmp_path, range(30)), ProductBook(42, volumes, tmp_path, range(30))):
        assert 0 < book.cache_bytes <= idcache.CACHE_BYTES, (type(book).__name__, scale)


def test_scale_1000_fits_the_default_budget(tmp_path: Path) -> None:
    """The usual runs recompute nothing: every id of a 30-day run at scale 1000 is resident."""
    volumes = Volumes(seed=42, scale=1000, horizon=31)
    customers = CustomerBook(42, volumes, tmp_path, range(30))
    products = ProductBook(42, volumes, tmp_path, range(30))
    assert customers.cache_bytes == CustomerBook.RESIDENT_BYTES_PER_ID * (int(volumes.first_customer_id[-1]) - 1)
    assert products.cache_bytes == ProductBook.RESIDENT_BYTES_PER_ID * (int(volumes.first_product_id[-1]) - 1)


@pytest.mark.usefixtures("small_cache")
def test_a_small_budget_holds_few_ids(tmp_path: Path) -> None:
    volumes = Volumes(seed=42, scale=2, horizon=31)
    customers = CustomerBook(42, volumes, tmp_path, range(30))
    products = ProductBook(42, volumes, tmp_path, range(30))
    assert (
        0
        < customers.cache_bytes
        <= SMALL_BUDGET
        < CustomerBook.RESIDENT_BYTES_PER_ID * (int(volumes.first_customer_id[-1]) - 1)
    )
    assert (
        0
        < products.cache_bytes
        <= SMALL_BUDGET
        < ProductBook.RESIDENT_BYTES_PER_ID * (int(volumes.first_product_id[-1]) - 1)
    )


@pytest.mark.usefixtures("small_cache")
def test_a_small_budget_writes_the_same_files(tmp_path: Path, dirty_run: tuple[Path, dict]) -> None:
    generate(tmp_path, scale=2)
    assert _files(tmp_path) == _files(dirty_run[0])


def test_a_small_budget_writes_the_same_late_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run starting after the opening day replays the look-back window: its draws cross blocks too."""
    generate(tmp_path / "default", scale=1, start_date="2025-03-10", days=7, clean=True)
    monkeypatch.setattr(idcache, "ENTITY_BLOCK", SMALL_BLOCK)
    monkeypatch.setattr(idcache, "CACHE_BYTES", SMALL_BUDGET)
    generate(tmp_path / "small", scale=1, start_date="2025-03-10", days=7, clean=True)
    assert _files(tmp_path / "small") == _files(tmp_path / "default")
