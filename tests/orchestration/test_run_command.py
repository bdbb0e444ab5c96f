"""`python -m orchestration run` as `make run` calls it: its own temporary Prefect server, a task per dbt node.

The server is stopped when the run ends. Everything the run reported must be in Prefect's database by
then, which is what `make ui` later shows: read straight from the SQLite file once the process is gone.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from tests.orchestration.conftest import REPO, TEST_SCALE, base_env

pytestmark = pytest.mark.slow

#: The flow's own tasks besides the dbt nodes (no docs in this run).
FLOW_TASKS = {"generate next batch", "land", "load", "publish BI snapshot"}
RUN_TIMEOUT_SECONDS = 600


def test_run_leaves_every_task_run_final_in_the_database_it_stops(workdir):
    env = base_env() | workdir.env
    env.pop("PREFECT_API_URL", None)  # `run` starts and stops its own server
    env.pop("DBT_INDIRECT_SELECTION", None)  # the whole build, data tests included: ~280 node tasks
    completed = subprocess.run(
        [sys.executable, "-m", "orchestration", "run", "--scale", str(TEST_SCALE), "--no-docs"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    # A successful run ends cleanly: no teardown noise (nanobind, multiprocessing's resource tracker).
    assert "leaked" not in completed.stdout + completed.stderr, completed.stderr[-3000:]

    run_results = json.loads((workdir.root / "dbt-target" / "run_results.json").read_text())
    # One task per model, seed, snapshot and test; exposures have run results but no task.
    dbt_nodes = sum(1 for result in run_results["results"] if not result["unique_id"].startswith("exposure."))
    with sqlite3.connect(workdir.root / ".prefect" / "prefect.db") as prefect_db:
        flow_runs = prefect_db.execute("select id, state_type from flow_run").fetchall()
        task_runs = prefect_db.execute("select name, state_type from task_run").fetchall()
        heartbeats = prefect_db.execute("select count(*) from events where event = 'prefect.flow-run.heartbeat'")
        heartbeat_count = heartbeats.fetchone()[0]
    assert [state for _, state in flow_runs] == ["COMPLETED"]
    assert {name.rsplit("-", 1)[0] for name, _ in task_runs} >= FLOW_TASKS
    assert len(task_runs) == dbt_nodes + len(FLOW_TASKS), f"{len(task_runs)} task runs for {dbt_nodes} dbt nodes"
    not_final = [(name, state) for name, state in task_runs if state != "COMPLETED"]
    assert not not_final, f"{len(not_final)} task runs not completed, e.g. {not_final[:5]}"
    # Heartbeats let a lasting server mark runs whose process died; this server stops with the run.
    assert heartbeat_count == 0
