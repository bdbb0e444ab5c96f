"""The served deployment against a real `prefect server`: a scheduled run is created within the
interval and completes, one run at a time; the Prefect UI in headless Chromium shows that run."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import shutil
import signal
import time
from types import SimpleNamespace

import pytest

from orchestration.server import stop_process
from orchestration.settings import DEPLOYMENT_NAME
from tests.orchestration.conftest import FAST_RUN_ARGS, TEST_SCALE, make_workdir, start_cli

pytestmark = pytest.mark.slow

INTERVAL_SECONDS = 20
#: The server's recent-deployments scheduler polls every 5 s, the runner every 10 s.
SCHEDULING_SLACK_SECONDS = 15
RUN_TIMEOUT_SECONDS = 300


def _client(api_url: str):
    from prefect.client.orchestration import SyncPrefectClient

    return SyncPrefectClient(api_url)


def _wait_for(condition, timeout: float, what: str, process):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`orchestration serve` exited with {process.returncode} while waiting for {what}")
        found = condition()
        if found:
            return found
        time.sleep(2)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


@pytest.fixture(scope="module")
def served(prefect_server_api):
    """`python -m orchestration serve` on a short interval until its first scheduled run completed."""
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
    from prefect.client.schemas.sorting import FlowRunSort

    work = make_workdir("serve")
    process = start_cli(
        work,
        prefect_server_api,
        "serve",
        "--interval",
        str(INTERVAL_SECONDS),
        *FAST_RUN_ARGS,
        log_name="serve.log",
        new_session=True,
    )
    try:
        with _client(prefect_server_api) as client:

            def deployment():
                try:
                    return client.read_deployment_by_name(f"{DEPLOYMENT_NAME}/{DEPLOYMENT_NAME}")
                except Exception:
                    return None

            found = _wait_for(deployment, 120, "the deployment", process)
            only_this = DeploymentFilter(id=DeploymentFilterId(any_=[found.id]))

            def completed_run():
                runs = client.read_flow_runs(deployment_filter=only_this, sort=FlowRunSort.EXPECTED_START_TIME_ASC)
                done = [run for run in runs if run.state and run.state.is_completed()]
                failed = [run for run in runs if run.state and run.state.is_final() and not run.state.is_completed()]
                if failed:
                    pytest.fail(
                        f"scheduled run {failed[0].name} ended {failed[0].state.name}: {failed[0].state.message}"
                    )
                return (done[0], runs) if done else None

            flow_run, runs = _wait_for(completed_run, RUN_TIMEOUT_SECONDS, "a completed scheduled run", process)
        yield SimpleNamespace(work=work, deployment=found, flow_run=flow_run, runs=runs, api=prefect_server_api)
    finally:
        # SIGTERM: the runner's own handler stops the flow-run process it started, then `serve` its server.
        stop_process(process, grace_seconds=10, sig=signal.SIGTERM)
        # The runner starts each flow run in a child process: stop whatever of ours is left in our session.
        with_children = process.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(with_children, signal.SIGKILL)
        shutil.rmtree(work.root, ignore_errors=True)


def test_served_deployment_schedules_a_run_within_its_interval_and_completes_it(served):
    deployment, flow_run = served.deployment, served.flow_run
    assert deployment.global_concurrency_limit is not None
    assert deployment.global_concurrency_limit.limit == 1
    assert [s.schedule.interval for s in deployment.schedules] == [dt.timedelta(seconds=INTERVAL_SECONDS)]
    first_scheduled = min(run.expected_start_time for run in served.runs)
    assert first_scheduled - deployment.created <= dt.timedelta(seconds=INTERVAL_SECONDS + SCHEDULING_SLACK_SECONDS)
    assert flow_run.auto_scheduled, "the completed run should come from the schedule"
    assert flow_run.parameters["scale"] == TEST_SCALE
    # One at a time: no two runs of the deployment overlapped.
    spans = sorted((run.start_time, run.end_time or dt.datetime.now(dt.UTC)) for run in served.runs if run.start_time)
    assert all(earlier[1] <= later[0] for earlier, later in itertools.pairwise(spans))
    assert (served.work.bi_dir / "ecommerce_bi.duckdb").is_file()


def test_prefect_ui_shows_the_completed_run(served, chromium_page):
    from playwright.sync_api import expect

    ui = served.api.removesuffix("/api")
    chromium_page.goto(f"{ui}/runs/flow-run/{served.flow_run.id}", wait_until="domcontentloaded")
    expect(chromium_page.get_by_text(served.flow_run.name).first).to_be_visible(timeout=90_000)
    expect(chromium_page.get_by_text("Completed").first).to_be_visible(timeout=60_000)
    chromium_page.goto(f"{ui}/runs", wait_until="domcontentloaded")
    expect(chromium_page.get_by_text(served.flow_run.name).first).to_be_visible(timeout=90_000)
