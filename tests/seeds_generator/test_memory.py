"""The per-id caches of customers and products stay within a byte budget whatever the scale, and the
ids outside it (weights read back from disk, prices and change days recomputed from the pure per-id
functions) give the very same files.

At the test scales everything fits the default budget; shrinking the budget and the block size puts
most ids of a small run outside it, and makes the draws cross many blocks.
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
#: Scale 2 has about 2,400 customers and 1,200 products: 8,000 bytes hold 970 customers' weights,
#: 970 products' weights and no price; 16,000 bytes hold 1,940 customers' weights, every product's
#: weight and 194 prices.
SMALL_BUDGETS = (8_000, 16_000)
_PRODUCT_BYTES = ProductBook.WEIGHT_BYTES_PER_ID + ProductBook.PRICE_BYTES_PER_ID


def _books(tmp_path: Path, scale: float) -> tuple[Volumes, CustomerBook, ProductBook]:
    volumes = Volumes(seed=42, scale=scale, horizon=31)
    return volumes, CustomerBook(42, volumes, tmp_path, range(30)), ProductBook(42, volumes, tmp_path, range(30))


def _files(folder: Path) -> dict[str, bytes]:
    return {table.name: (folder / f"{table.name}.csv").read_bytes() for table in TABLES} | {
        "truth": (folder / "_generation.json").read_bytes()
    }


@pytest.mark.parametrize("scale", [1, 1_000, 10_000, 1_000_000])
def test_cache_bytes_do_not_grow_with_scale(tmp_path: Path, scale: float) -> None:
    _, customers, products = _books(tmp_path, scale)
    assert 0 < customers.cache_bytes <= idcache.CACHE_BYTES
    assert 0 < products.cache_bytes <= idcache.CACHE_BYTES


def test_scale_1000_fits_the_default_budget(tmp_path: Path) -> None:
    """The usual runs read and recompute nothing: every id of a 30-day run at scale 1000 is resident."""
    volumes, customers, products = _books(tmp_path, 1000)
    assert customers.cache_bytes == CustomerBook.WEIGHT_BYTES_PER_ID * (int(volumes.first_customer_id[-1]) - 1)
    assert products.cache_bytes == _PRODUCT_BYTES * (int(volumes.first_product_id[-1]) - 1)


@pytest.mark.parametrize("budget", SMALL_BUDGETS)
def test_a_small_budget_holds_few_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: int) -> None:
    monkeypatch.setattr(idcache, "ENTITY_BLOCK", SMALL_BLOCK)
    monkeypatch.setattr(idcache, "CACHE_BYTES", budget)
    volumes, customers, products = _books(tmp_path, 2)
    assert 0 < customers.cache_bytes <= budget
    assert customers.cache_bytes < CustomerBook.WEIGHT_BYTES_PER_ID * (int(volumes.first_customer_id[-1]) - 1)
    assert 0 < products.cache_bytes <= budget
    assert products.cache_bytes < _PRODUCT_BYTES * (int(volumes.first_product_id[-1]) - 1)


@pytest.mark.parametrize("budget", SMALL_BUDGETS)
def test_a_small_budget_writes_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dirty_run: tuple[Path, dict], budget: int
) -> None:
    monkeypatch.setattr(idcache, "ENTITY_BLOCK", SMALL_BLOCK)
    monkeypatch.setattr(idcache, "CACHE_BYTES", budget)
    generate(tmp_path, scale=2)
    assert _files(tmp_path) == _files(dirty_run[0])


def test_a_small_budget_writes_the_same_late_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run starting after the opening day replays the look-back window: its draws cross blocks too."""
    generate(tmp_path / "default", scale=1, start_date="2025-03-10", days=7, clean=True)
    monkeypatch.setattr(idcache, "ENTITY_BLOCK", SMALL_BLOCK)
    monkeypatch.setattr(idcache, "CACHE_BYTES", SMALL_BUDGETS[0])
    generate(tmp_path / "small", scale=1, start_date="2025-03-10", days=7, clean=True)
    assert _files(tmp_path / "small") == _files(tmp_path / "default")
