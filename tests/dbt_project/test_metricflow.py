"""The semantic layer answers: `mf query` (dbt-metricflow) on the DuckDB marts agrees with the marts."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.dbt_project.conftest import PROJECT_DIR, run_dbt

pytestmark = pytest.mark.slow

METRICS = ("revenue", "orders", "average_order_value", "margin", "active_customers", "average_rating")


def test_mf_query_answers_every_metric(incremental_warehouse, tmp_path: Path):
    # mf reads <project>/target/semantic_manifest.json: parse a copy of the project so the real one is untouched.
    project = tmp_path / "dbt_project"
    shutil.copytree(PROJECT_DIR, project, ignore=shutil.ignore_patterns("target*", "logs"))
    env = {"DUCKDB_PATH": str(incremental_warehouse.path)}
    run_dbt(["parse"], target_path=project / "target", env=env, project_dir=project)
    output = tmp_path / "metrics.csv"
    mf = Path(sys.executable).with_name("mf")
    result = subprocess.run(
        [str(mf), "query", "--metrics", ",".join(METRICS), "--group-by", "metric_time__month", "--csv", str(output)],
        cwd=project,
        env={
            **os.environ,
            **env,
            "DBT_PROJECT_DIR": str(project),
            "DBT_PROFILES_DIR": str(PROJECT_DIR.parent / "profiles"),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    with output.open() as file:
        rows = list(csv.DictReader(file))
    assert rows and set(METRICS) <= set(rows[0])
    [(revenue, orders)] = incremental_warehouse.query("select sum(revenue), count(*) from marts.fct_orders")
    assert sum(Decimal(row["revenue"]) for row in rows) == revenue
    assert sum(int(row["orders"]) for row in rows) == orders
