"""Days cut into many chunks and read back in many pieces: still incremental, still counted exactly.

At the test scales a day is one placement chunk and one piece per table; shrinking the constants makes
every day cross chunk and piece boundaries, where ids, pending rows and defect draws could go wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from seeds_generator import engine, generate, orders, spill
from shop_contract import TABLES
from tests.seeds_generator.detect import detect


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(orders, "ORDERS_PER_CHUNK", 37)  # about 3 chunks a day at scale 1
    monkeypatch.setattr(spill, "PIECE_ROWS", 50)
    monkeypatch.setattr(engine, "CHUNK_ROWS", 100)


def _rows(folder: Path, table: str) -> list[bytes]:
    return (folder / f"{table}.csv").read_bytes().splitlines()[1:]


@pytest.mark.usefixtures("small_chunks")
def test_two_calls_equal_one_across_chunks(tmp_path: Path) -> None:
    generate(tmp_path / "whole", scale=1, seed=5, start_date="2025-02-20", days=8)
    generate(tmp_path / "first", scale=1, seed=5, start_date="2025-02-20", days=3)
    generate(tmp_path / "second", scale=1, seed=5, start_date="2025-02-23", days=5)
    for table in TABLES:
        joined = _rows(tmp_path / "first", table.name) + _rows(tmp_path / "second", table.name)
        assert joined == _rows(tmp_path / "whole", table.name), table.name


@pytest.mark.usefixtures("small_chunks")
def test_ids_and_truth_hold_across_chunks(tmp_path: Path) -> None:
    truth = generate(tmp_path, scale=1, days=12)
    found = detect(tmp_path)
    assert found == {(entry["kind"], entry["table"], entry["column"]): entry["count"] for entry in truth["defects"]}
    assert found[("late_arriving_row", "orders", None)] > 0
    # Chunks of one day never hand out the same line or review id twice (duplicates repeat whole rows).
    for table in ("order_items", "reviews"):
        rows = set(_rows(tmp_path, table))
        assert len({row.split(b",")[0] for row in rows}) == len(rows), table


def test_nothing_is_left_beside_the_files(tmp_path: Path) -> None:
    """Pending rows wait in a temporary folder inside the output folder, removed at the end."""
    generate(tmp_path, scale=0.2, start_date="2025-01-20", days=3)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [f"{table.name}.csv" for table in TABLES] + ["_generation.json"]
    )
