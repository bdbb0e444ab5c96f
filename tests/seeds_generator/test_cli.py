"""The command line: help for every option, one-line usage errors with exit code 2, a working run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from shop_contract import TABLES


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "seeds_generator", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_help_explains_every_option() -> None:
    result = _run("--help")
    assert result.returncode == 0
    for option in ("--out", "--scale", "--seed", "--start-date", "--days", "--clean"):
        assert option in result.stdout
    assert "2025-01-01" in result.stdout  # the opening day, default start


def test_writes_the_files_and_the_truth(tmp_path: Path) -> None:
    result = _run("--out", str(tmp_path), "--scale", "0.2", "--days", "3", "--seed", "5", "--clean")
    assert result.returncode == 0, result.stderr
    truth = json.loads((tmp_path / "_generation.json").read_text())
    assert truth["parameters"]["seed"] == 5 and truth["parameters"]["clean"] is True
    for table in TABLES:
        assert (tmp_path / f"{table.name}.csv").stat().st_size == truth["files"][table.name]["bytes"]
    assert "Traceback" not in result.stderr


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "plain-file"
    path.write_text("not a folder")
    return path


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        (["--scale", "0"], "--scale"),
        (["--scale", "-1"], "--scale"),
        (["--scale", "abc"], "scale"),
        (["--days", "0"], "--days"),
        (["--start-date", "2024-12-31"], "opening"),
        (["--start-date", "2025-02-30"], "--start-date"),
        (["--start-date", "tomorrow"], "--start-date"),
        (["--seed", "-3"], "--seed"),
        (["--out", "{file}/sub"], "--out"),
        (["--out", "{file}"], "--out"),
        ([], "--out"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_code_2(
    args: list[str], mentions: str, tmp_path: Path, a_file: Path
) -> None:
    args = [arg.replace("{file}", str(a_file)) for arg in args]
    if "--out" not in args and args:
        args = ["--out", str(tmp_path / "out"), *args]
    result = _run(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert mentions in lines[0]
