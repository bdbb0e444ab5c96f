"""The flow end to end against Prefect's test harness: a first window, then one more day per run.

One module fixture runs the pipeline twice in this process; later tests reuse that warehouse (a
third run in a new process, two runs at once in another folder) and compare with it.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from orchestration import state
from orchestration.dbt_steps import DbtBuildError
from orchestration.flow import SUMMARY_ARTIFACT_KEY, pipeline
from orchestration.snapshot import MANIFEST_NAME
from tests.orchestration.conftest import FAST_RUN_ARGS, REPO, SKIP_DBT_TESTS, TEST_SCALE, make_workdir, start_cli
from tests.orchestration.warehouse_probe import (
    fingerprints,
    parquet_rows,
    query_snapshot,
    snapshot_rows,
    warehouse_write_locked,
)

pytestmark = pytest.mark.slow

MARTS = ("fct_orders", "fct_order_items", "dim_customers", "dim_products")
RUN_TIMEOUT_SECONDS = 300


def _rows_by_order_day(bi_dir: Path, table: str) -> dict[dt.date, int]:
    rows = query_snapshot(bi_dir, f"select order_date, count(*) from marts.{table} group by all")
    return dict(rows)


@pytest.fixture(scope="module")
def sequential(prefect_harness):
    """Two runs in sequence in one folder: the first window, then one more day."""
    work = make_workdir("sequential")
    with pytest.MonkeyPatch.context() as env:
        for name, value in work.env.items():
            if name != "PREFECT_HOME":
                env.setenv(name, value)
        first = pipeline(scale=TEST_SCALE)
        after_first = {table: _rows_by_order_day(work.bi_dir, table) for table in ("fct_orders", "fct_order_items")}
        second = pipeline(scale=TEST_SCALE, docs=False, exclude=SKIP_DBT_TESTS)
        after_second = {table: _rows_by_order_day(work.bi_dir, table) for table in ("fct_orders", "fct_order_items")}
        batches = state.recorded_batches(str(work.lake))
    yield SimpleNamespace(
        work=work,
        first=first,
        second=second,
        after_first=after_first,
        after_second=after_second,
        fingerprints=fingerprints(work.bi_dir),
        batches=batches,
    )
    shutil.rmtree(work.root, ignore_errors=True)


def test_flow_completes_with_every_step_and_a_summary_artifact(sequential, prefect_harness):
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey, FlowRunFilter, FlowRunFilterId

    first = sequential.first
    assert first["status"] == "completed"
    assert first["tests_failed"] == 0 and first["tests_passed"] > 0 and first["models_built"] > 0
    assert set(MARTS) <= set(first["mart_rows"]) and all(first["mart_rows"][m] > 0 for m in MARTS)
    assert {"generate", "land", "load", "dbt build", "publish snapshot", "docs"} <= set(first["step_seconds"])
    assert Path(first["docs"]).is_file() and (Path(first["docs"]).parent / "catalog.json").is_file()

    with get_client(sync_client=True) as client:
        flow_run_filter = FlowRunFilter(id=FlowRunFilterId(any_=[first["flow_run_id"]]))
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[SUMMARY_ARTIFACT_KEY])),
            flow_run_filter=flow_run_filter,
        )
        task_names = {task_run.name for task_run in client.read_task_runs(flow_run_filter=flow_run_filter)}
    assert len(artifacts) == 1
    assert "fct_orders" in artifacts[0].data and "Seconds per step" in artifacts[0].data
    # Each dbt node is its own task, next to the pipeline's own steps.
    assert {"model fct_orders", "model dim_customers"} <= {name.rsplit("-", 1)[0] for name in task_names}
    assert any(name.startswith("test ") for name in task_names)
    assert any(name.startswith("land") for name in task_names)


def test_second_run_adds_the_next_day_and_the_marts_grow_by_its_rows(sequential):
    first, second = sequential.first, sequential.second
    new_day = dt.date.fromisoformat(first["last_day"]) + dt.timedelta(days=1)
    assert second["first_day"] == second["last_day"] == new_day.isoformat()
    assert [b.last_day for b in sequential.batches] == [dt.date.fromisoformat(first["last_day"]), new_day]

    for table in ("fct_orders", "fct_order_items"):
        before, after = sequential.after_first[table], sequential.after_second[table]
        day_rows = after.get(new_day, 0)
        assert day_rows > 0, f"{table} has no rows on {new_day}"
        assert second["mart_rows"][table] - first["mart_rows"][table] == day_rows
        assert {d: n for d, n in after.items() if d != new_day} == before, f"{table}: earlier days changed"
        assert max(before) < new_day


def _read_while_running(process, work) -> list[tuple[dict[str, int], dict[str, int]]]:
    """Read the snapshot (DuckDB copy and Parquet) over and over while `process` holds the warehouse."""
    reads = []
    while process.poll() is None:
        if warehouse_write_locked(work.warehouse):
            reads.append((snapshot_rows(work.bi_dir), parquet_rows(work.bi_dir)))
        time.sleep(0.2)
    return reads


def test_new_process_carries_on_and_snapshot_stays_readable_while_writing(sequential, prefect_harness):
    work = sequential.work
    before = snapshot_rows(work.bi_dir)
    process = start_cli(work, prefect_harness, "run", *FAST_RUN_ARGS, log_name="third.log")
    try:
        reads = _read_while_running(process, work)
        process.wait(RUN_TIMEOUT_SECONDS)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, (work.root / "third.log").read_text()[-3000:]
    after = snapshot_rows(work.bi_dir)
    assert after["fct_orders"] > before["fct_orders"]
    # Readers never blocked the writer, and every read saw one whole snapshot: the previous or the new one.
    assert reads, "never read the snapshot while the pipeline held the warehouse"
    assert any(database == before for database, _ in reads)
    assert all(database in (before, after) and files in (before, after) for database, files in reads)
    batches = state.recorded_batches(str(work.lake))
    assert batches[-1].first_day == sequential.batches[-1].last_day + dt.timedelta(days=1)


def test_two_runs_at_once_wait_for_each_other_and_equal_two_in_sequence(sequential, prefect_harness):
    work = make_workdir("concurrent")
    runs = []
    try:
        runs += [start_cli(work, prefect_harness, "run", *FAST_RUN_ARGS, log_name=f"run{i}.log") for i in range(2)]
        for run in runs:
            run.wait(RUN_TIMEOUT_SECONDS)
        logs = [(work.root / f"run{i}.log").read_text() for i in range(2)]
        assert [run.returncode for run in runs] == [0, 0], "\n".join(log[-3000:] for log in logs)
        batches = state.recorded_batches(str(work.lake))
        assert [(b.first_day, b.last_day) for b in batches] == [(b.first_day, b.last_day) for b in sequential.batches]
        assert fingerprints(work.bi_dir) == sequential.fingerprints
    finally:
        for run in runs:
            if run.poll() is None:
                run.kill()
        shutil.rmtree(work.root, ignore_errors=True)


def test_failed_dbt_test_fails_the_run_and_names_the_test(workdir, monkeypatch, prefect_harness):
    project = workdir.root / "dbt_project"
    shutil.copytree(REPO / "dbt_project", project, ignore=shutil.ignore_patterns("target*", "logs", "dbt_packages"))
    (project / "tests" / "assert_orchestration_canary_fails.sql").write_text(
        "-- Fails on purpose: one row returned.\nselect 1 as failing_row\n"
    )
    monkeypatch.setenv("DBT_PROJECT_DIR", str(project))
    with pytest.raises(DbtBuildError, match="assert_orchestration_canary_fails"):
        pipeline(generate=False, docs=False, select="assert_orchestration_canary_fails")
    assert not (workdir.bi_dir / MANIFEST_NAME).exists(), "a failed build must not publish a snapshot"
