"""sqlfluff, with the dbt templater on DuckDB and the committed config, finds nothing to fix."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.dbt_project.conftest import PROJECT_DIR

pytestmark = pytest.mark.slow

LINTED = ("models", "tests", "snapshots", "macros")


def test_sqlfluff_finds_no_violations(tmp_path):
    # A process of its own: the dbt templater sets up dbt globally, which would disturb in-process dbt runs.
    env = {"DUCKDB_PATH": str(tmp_path / "lint.duckdb"), "DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run(
        [sys.executable, "-m", "sqlfluff", "lint", *LINTED, "--format", "github-annotation-native", "--nocolor"],
        cwd=PROJECT_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    violations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert result.returncode == 0 and not violations, "\n".join(violations) or result.stderr[-2000:]
