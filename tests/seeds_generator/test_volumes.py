"""Volumes: the scale-1 minimums the project relies on, with margin, and linear growth with scale."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from seeds_generator import generate

#: table -> (key, minimum distinct entities and rows at scale 1 over the default 30 days)
MINIMUMS = {
    "customers": ("customer_id", 1_000),
    "products": ("product_id", 500),
    "orders": ("order_id", 2_000),
    "order_items": ("order_item_id", 6_000),
    "reviews": ("review_id", 1_500),
}


def _counts(folder: Path) -> dict[str, tuple[int, int]]:
    con = duckdb.connect()
    counts = {}
    for table, (key, _) in MINIMUMS.items():
        path = folder / f"{table}.csv"
        counts[table] = con.execute(f"select count(*), count(distinct {key}) from read_csv('{path}')").fetchone()
    return counts


@pytest.fixture(scope="module")
def scale_three(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, int]]:
    out = tmp_path_factory.mktemp("scale3")
    generate(out, scale=3, clean=True)
    return _counts(out)


def test_scale_one_meets_the_minimums_with_margin(clean_run: tuple[Path, dict]) -> None:
    counts = _counts(clean_run[0])
    for table, (_, minimum) in MINIMUMS.items():
        rows, distinct = counts[table]
        assert distinct >= 1.1 * minimum, (table, distinct)
        assert rows >= distinct


def test_volumes_grow_linearly_with_scale(clean_run: tuple[Path, dict], scale_three: dict) -> None:
    one = _counts(clean_run[0])
    for table in MINIMUMS:
        for one_count, three_count in zip(one[table], scale_three[table], strict=True):
            assert 2.85 <= three_count / one_count <= 3.15, (table, one_count, three_count)
