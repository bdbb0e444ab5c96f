"""Dirty rows: every kind at every target, counted exactly as the truth file says, and few overall."""

from __future__ import annotations

from pathlib import Path

from shop_contract import DEFECT_KINDS
from tests.seeds_generator.detect import detect


def _truth(truth: dict) -> dict[tuple[str, str, str | None], int]:
    return {(entry["kind"], entry["table"], entry["column"]): entry["count"] for entry in truth["defects"]}


def test_truth_matches_independent_detection(dirty_run: tuple[Path, dict]) -> None:
    folder, truth = dirty_run
    assert detect(folder) == _truth(truth)


def test_every_contract_target_is_injected(dirty_run: tuple[Path, dict]) -> None:
    reported = _truth(dirty_run[1])
    for kind in DEFECT_KINDS:
        for target in kind.targets:
            table, _, column = target.partition(".")
            assert reported[(kind.name, table, column or None)] > 0, (kind.name, target)


def test_dirty_rows_are_a_few_per_cent(dirty_run: tuple[Path, dict]) -> None:
    truth = dirty_run[1]
    rows = sum(entry["rows"] for entry in truth["files"].values())
    assert truth["defect_rows_total"] == sum(_truth(truth).values())
    assert 0.002 * rows < truth["defect_rows_total"] < 0.03 * rows
    for table, entry in truth["files"].items():
        dirty = sum(n for (_, name, _), n in _truth(truth).items() if name == table)
        assert dirty < 0.05 * entry["rows"], table


def test_clean_run_has_no_dirty_rows(clean_run: tuple[Path, dict]) -> None:
    folder, truth = clean_run
    assert set(detect(folder).values()) == {0}
    assert set(_truth(truth).values()) == {0}
    assert truth["defect_rows_total"] == 0
