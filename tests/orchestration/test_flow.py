"""The flow end to end against Prefect's test harness: a first window, then one more day per run.

A module fixture runs the pipeline twice in this process; two runs started at once in new processes
in another folder must end equal to it, while the BI snapshot stays readable.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from orchestration import state
from orchestration.dbt_steps import DbtBuildError
from orchestration.flow import SUMMARY_ARTIFACT_KEY, pipeline
from orchestration.snapshot import MANIFEST_NAME
from tests.orchestration.conftest import FAST_RUN_ARGS, MODELS_AND_SEEDS, REPO, TEST_SCALE, make_workdir, start_cli
from tests.orchestration.warehouse_probe import (
    fingerprints,
    parquet_rows,
    query_snapshot,
    rows_first_sent_in,
    snapshot_rows,
    warehouse_write_locked,
)

pytestmark = pytest.mark.slow

MARTS = ("fct_orders", "fct_order_items", "dim_customers", "dim_products")
#: A few of the project's data tests, so the first run reports passed tests (and would fail on a failed one).
SOME_DBT_TESTS = "unique_fct_orders_order_id not_null_fct_orders_order_id unique_dim_customers_customer_id"
RUN_TIMEOUT_SECONDS = 300


def _rows_by_order_day(bi_dir: Path, table: str) -> dict[dt.date, int]:
    return dict(query_snapshot(bi_dir, f"select order_date, count(*) from marts.{table} group by all"))


@pytest.fixture(scope="module")
def sequential(prefect_harness):
    """Two runs in sequence in one folder: the first window, then one more day."""
    work = make_workdir("sequential")
    with pytest.MonkeyPatch.context() as env:
        for name, value in work.env.items():
            if name != "PREFECT_HOME":
                env.setenv(name, value)
        first = pipeline(scale=TEST_SCALE, select=f"{MODELS_AND_SEEDS} {SOME_DBT_TESTS}")
        after_first = {table: _rows_by_order_day(work.bi_dir, table) for table in ("fct_orders", "fct_order_items")}
        second = pipeline(scale=TEST_SCALE, docs=False, select=MODELS_AND_SEEDS, node_tasks=False)
        after_second = {table: _rows_by_order_day(work.bi_dir, table) for table in ("fct_orders", "fct_order_items")}
        batches = state.recorded_batches(str(work.lake))
        first_sent = rows_first_sent_in(work.warehouse, second["load_id"])
    yield SimpleNamespace(
        work=work,
        first=first,
        second=second,
        after_first=after_first,
        after_second=after_second,
        fingerprints=fingerprints(work.bi_dir),
        batches=batches,
        first_sent=first_sent,
    )
    shutil.rmtree(work.root, ignore_errors=True)


def _task_runs(client, flow_run_id: str, like: str) -> list:
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, TaskRunFilter, TaskRunFilterName

    return client.read_task_runs(
        flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])),
        task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_=like)),
    )


def _task_run_names(client, flow_run_id: str, like: str) -> set[str]:
    return {run.name for run in _task_runs(client, flow_run_id, like)}


def test_flow_completes_with_every_step_and_a_summary_artifact(sequential, prefect_harness):
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey, FlowRunFilter, FlowRunFilterId

    first = sequential.first
    assert first["status"] == "completed"
    assert first["tests_failed"] == 0 and first["tests_passed"] == len(SOME_DBT_TESTS.split())
    assert first["models_built"] > len(MARTS)
    assert set(MARTS) <= set(first["mart_rows"]) and all(first["mart_rows"][m] > 0 for m in MARTS)
    assert {"generate", "land", "load", "dbt build", "publish snapshot", "docs"} <= set(first["step_seconds"])
    assert Path(first["docs"]).is_file() and (Path(first["docs"]).parent / "catalog.json").is_file()

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[SUMMARY_ARTIFACT_KEY])),
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[first["flow_run_id"]])),
        )
        run_id = first["flow_run_id"]
        # The pipeline's own steps are tasks, and so is each dbt node.
        steps = {name.rsplit("-", 1)[0] for name in _task_run_names(client, run_id, "")}
        dbt_nodes = _task_run_names(client, run_id, "model fct_orders") | _task_run_names(client, run_id, "test ")
        # Final by the time the flow returns: the build waits for every node's task thread.
        model_runs = _task_runs(client, run_id, "model ")
    assert len(artifacts) == 1
    assert len(model_runs) >= first["models_built"] and all(run.state.is_completed() for run in model_runs)
    assert "fct_orders" in artifacts[0].data and "Seconds per step" in artifacts[0].data
    assert {"generate next batch", "land", "load", "publish BI snapshot", "generate docs"} <= steps
    assert "model fct_orders" in dbt_nodes and "test unique_fct_orders_order_id" in dbt_nodes


def test_second_run_adds_the_next_day_and_the_marts_grow_by_its_rows(sequential):
    first, second = sequential.first, sequential.second
    new_day = dt.date.fromisoformat(first["last_day"]) + dt.timedelta(days=1)
    assert second["first_day"] == second["last_day"] == new_day.isoformat()
    assert [b.last_day for b in sequential.batches] == [dt.date.fromisoformat(first["last_day"]), new_day]

    for table in ("fct_orders", "fct_order_items"):
        growth = second["mart_rows"][table] - first["mart_rows"][table]
        before, after = sequential.after_first[table], sequential.after_second[table]
        # Exactly the orders and lines the day's extract sends for the first time (its own, plus the
        # odd late-arriving one of an earlier day), every one of them new in the mart.
        assert growth == sequential.first_sent[table] > 0, table
        assert after.get(new_day, 0) > 0 and max(before) < new_day
        assert sum(after.values()) - sum(before.values()) == growth
        assert all(after.get(day, 0) >= rows for day, rows in before.items()), f"{table} lost rows"


def _read_while_running(processes, work) -> list[dict[str, int]]:
    """Read the snapshot over and over while the runs go on; keep what was read while one held the warehouse."""
    reads = []
    while any(p.poll() is None for p in processes):
        if (work.bi_dir / MANIFEST_NAME).exists() and warehouse_write_locked(work.warehouse):
            database, files = snapshot_rows(work.bi_dir), parquet_rows(work.bi_dir)
            if warehouse_write_locked(work.warehouse):
                reads += [database, files]
        time.sleep(0.2)
    return reads


def test_two_runs_at_once_queue_and_equal_two_in_sequence_with_the_snapshot_readable(sequential, prefect_harness):
    """Two new processes at once: one waits for the other, the second carries on from the first's
    day (kept in the lake), and readers of the BI snapshot always see one whole snapshot."""
    work = make_workdir("concurrent")
    runs = []
    try:
        runs += [start_cli(work, prefect_harness, "run", *FAST_RUN_ARGS, log_name=f"run{i}.log") for i in range(2)]
        reads = _read_while_running(runs, work)
        for run in runs:
            run.wait(RUN_TIMEOUT_SECONDS)
        logs = [(work.root / f"run{i}.log").read_text() for i in range(2)]
        assert [run.returncode for run in runs] == [0, 0], "\n".join(log[-3000:] for log in logs)

        waits = sorted(float(re.search(r"wait for lock ([\d.]+)s", log).group(1)) for log in logs)
        assert waits[0] < 1 < waits[1], f"one run should have waited for the other: {waits}"
        batches = state.recorded_batches(str(work.lake))
        assert [(b.first_day, b.last_day) for b in batches] == [(b.first_day, b.last_day) for b in sequential.batches]
        assert fingerprints(work.bi_dir) == sequential.fingerprints

        # While the second run wrote the warehouse, the first run's snapshot was readable, and no read
        # ever saw a mix: each equals the first or the second published state.
        assert sequential.first["mart_rows"] in reads
        assert all(read in (sequential.first["mart_rows"], sequential.second["mart_rows"]) for read in reads)
    finally:
        for run in runs:
            if run.poll() is None:
                run.kill()
                run.wait()
        shutil.rmtree(work.root, ignore_errors=True)


def test_failed_dbt_test_fails_the_run_and_names_the_test(workdir, monkeypatch, prefect_harness):
    project = workdir.root / "dbt_project"
    shutil.copytree(REPO / "dbt_project", project, ignore=shutil.ignore_patterns("target*", "logs", "dbt_packages"))
    (project / "tests" / "assert_orchestration_canary_fails.sql").write_text(
        "-- Fails on purpose: one row returned.\nselect 1 as failing_row\n"
    )
    monkeypatch.setenv("DBT_PROJECT_DIR", str(project))
    with pytest.raises(DbtBuildError, match="test assert_orchestration_canary_fails fail"):
        pipeline(generate=False, docs=False, select="assert_orchestration_canary_fails")
    assert not (workdir.bi_dir / MANIFEST_NAME).exists(), "a failed build must not publish a snapshot"
