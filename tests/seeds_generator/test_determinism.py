"""Same arguments, same bytes; another seed, other data; checksums that match the files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from seeds_generator import generate
from shop_contract import TABLES

FILES = [f"{table.name}.csv" for table in TABLES] + ["_generation.json"]


def _read(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}


def test_same_arguments_give_identical_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a", scale=0.3, seed=7, days=8)
    generate(tmp_path / "b", scale=0.3, seed=7, days=8)
    assert _read(tmp_path / "a") == _read(tmp_path / "b")


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    generate(tmp_path / "a", scale=0.3, seed=7, days=8)
    generate(tmp_path / "b", scale=0.3, seed=8, days=8)
    first, second = _read(tmp_path / "a"), _read(tmp_path / "b")
    for table in TABLES:
        name = f"{table.name}.csv"
        assert first[name] != second[name], name
        assert first[name].splitlines()[0] == second[name].splitlines()[0]  # same header


def test_truth_file_describes_the_files(tmp_path: Path) -> None:
    truth = generate(tmp_path, scale=0.2, days=5)
    assert json.loads((tmp_path / "_generation.json").read_text()) == truth
    for table in TABLES:
        entry = truth["files"][table.name]
        data = (tmp_path / entry["file"]).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["rows"] == data.count(b"\n") - 1  # no value holds a newline
        assert data.splitlines()[0].decode().replace('"', "").split(",") == list(table.column_names)
    assert truth["parameters"] == {
        "scale": 0.2,
        "seed": 42,
        "start_date": "2025-01-01",
        "end_date": "2025-01-05",
        "days": 5,
        "clean": False,
        "opening_date": "2025-01-01",
        "lookback_days": 45,
    }
