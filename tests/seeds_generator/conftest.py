"""Runs shared by the generator's tests: generated once per session into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from seeds_generator import generate


@pytest.fixture(scope="session")
def dirty_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """Scale 2, default 30 days, dirty rows on: large enough for every defect target to show up."""
    out = tmp_path_factory.mktemp("dirty")
    return out, generate(out, scale=2)


@pytest.fixture(scope="session")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """Scale 1, default 30 days, --clean: the minimum volumes and the realism checks."""
    out = tmp_path_factory.mktemp("clean")
    return out, generate(out, scale=1, clean=True)
