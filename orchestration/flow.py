"""The pipeline as one Prefect flow: generate the next day(s), land, load, dbt build, publish, docs.

The whole run holds the warehouse lock (see `lock.py`), so two runs started at once execute one
after the other, each reading the "next day" only once the previous one has recorded its batch.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run as runtime_flow_run

from orchestration import dbt_steps, state
from orchestration.lock import pipeline_lock
from orchestration.retry import RETRIES, RETRY_DELAYS_SECONDS, retry_if_transient
from orchestration.settings import DEPLOYMENT_NAME, OrchestrationSettings
from orchestration.snapshot import publish_snapshot
from orchestration.summary import RunSummary

SUMMARY_ARTIFACT_KEY = "pipeline-summary"
T = TypeVar("T")


@task(name="generate next batch")
def generate_batch(out_dir: Path, *, scale: float, seed: int, first_day: dt.date | None, days: int | None) -> dict:
    """The next day(s) of the simulated shop: stands in for a live source's daily extract."""
    import seeds_generator

    return seeds_generator.generate(out_dir, scale=scale, seed=seed, start_date=first_day, days=days)


@task(name="land", retries=RETRIES, retry_delay_seconds=RETRY_DELAYS_SECONDS, retry_condition_fn=retry_if_transient)
def land_batch(source_dir: Path, *, lake_url: str, record: dict[str, Any] | None) -> str:
    """Land the batch in the lake, then note its days there so the next run knows where to start."""
    from loader import api

    load_id = api.land(source_dir, lake_url=lake_url)
    if record is not None:
        state.record_batch(state.BatchRecord(load_id=load_id, **record), lake_url)
    return load_id


@task(name="load", retries=RETRIES, retry_delay_seconds=RETRY_DELAYS_SECONDS, retry_condition_fn=retry_if_transient)
def load_batches(*, lake_url: str, target: str) -> list[dict]:
    """Load every landed batch not loaded yet (the loader skips batches its audit says are done)."""
    from loader import api

    return api.load(lake_url=lake_url, target=target)


@task(name="publish BI snapshot")
def publish_bi_snapshot(warehouse: Path, bi_dir: Path) -> dict[str, int]:
    return publish_snapshot(warehouse, bi_dir).rows


@task(name="generate docs")
def generate_docs(settings: OrchestrationSettings, dbt_target: str) -> str:
    return str(
        dbt_steps.generate_docs(
            project_dir=settings.dbt_project_dir,
            profiles_dir=settings.dbt_profiles_dir,
            target_path=settings.target_path(dbt_target),
            target=dbt_target,
        )
    )


def batch_days(generation: dict, first_day: dt.date | None, days: int | None) -> tuple[dt.date, dt.date]:
    """First and last day the generator wrote, from its `_generation.json` (or what was asked for)."""
    from seeds_generator.params import DEFAULT_DAYS, OPENING_DATE

    written = generation.get("parameters", {})
    start = dt.date.fromisoformat(str(written.get("start_date") or first_day or OPENING_DATE))
    if written.get("end_date"):
        return start, dt.date.fromisoformat(str(written["end_date"]))
    return start, start + dt.timedelta(days=(written.get("days") or days or DEFAULT_DAYS) - 1)


def rows_loaded(load_summaries: list[dict]) -> int:
    return sum(int(s.get("rows_loaded") or s.get("rows") or 0) for s in load_summaries)


@contextmanager
def timed(summary: RunSummary, step: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        summary.step_seconds[step] = round(time.perf_counter() - started, 2)


def _step(summary: RunSummary, name: str, call: Callable[[], T]) -> T:
    with timed(summary, name):
        return call()


def _run_steps(
    settings: OrchestrationSettings,
    summary: RunSummary,
    *,
    scale: float,
    days_per_run: int,
    warehouse_target: str,
    dbt_target: str,
    full_refresh: bool,
    select: str | None,
    exclude: str | None,
    node_tasks: bool,
    generate: bool,
    initial_days: int | None,
    seed: int,
    docs: bool,
) -> None:
    logger = get_run_logger()
    lake_url = settings.lake_url
    with tempfile.TemporaryDirectory(prefix="ecommerce-batch-") as scratch:
        if generate:
            first_day = state.next_first_day(lake_url)
            days = initial_days if first_day is None else days_per_run
            logger.info("Generating %s day(s) from %s", days or "the default", first_day or "the opening date")
            generation = _step(
                summary,
                "generate",
                lambda: generate_batch(Path(scratch), scale=scale, seed=seed, first_day=first_day, days=days),
            )
            start, end = batch_days(generation, first_day, days)
            summary.first_day, summary.last_day = start.isoformat(), end.isoformat()
            record = {"first_day": start, "last_day": end, "scale": scale, "seed": seed, "generation": generation}
            summary.load_id = _step(
                summary, "land", lambda: land_batch(Path(scratch), lake_url=lake_url, record=record)
            )
    loaded = _step(summary, "load", lambda: load_batches(lake_url=lake_url, target=warehouse_target))
    summary.rows_loaded = rows_loaded(loaded)

    with timed(summary, "dbt build"):
        outcome = dbt_steps.run_build(
            project_dir=settings.dbt_project_dir,
            profiles_dir=settings.dbt_profiles_dir,
            target_path=settings.target_path(dbt_target),
            target=dbt_target,
            select=select,
            exclude=exclude,
            full_refresh=full_refresh,
            node_tasks=node_tasks,
        )
    summary.tests_passed, summary.tests_failed = outcome.tests_passed, outcome.tests_failed
    summary.tests_warned, summary.models_built = outcome.tests_warned, outcome.models_built
    summary.failures = outcome.failures
    dbt_steps.raise_for_failures(outcome)

    if warehouse_target == "duckdb":
        summary.mart_rows = _step(
            summary, "publish snapshot", lambda: publish_bi_snapshot(settings.duckdb_path, settings.bi_dir)
        )
        summary.snapshot = str(settings.bi_dir)
    else:
        logger.info("No BI snapshot for %s: BI tools read the warehouse itself", warehouse_target)
    if docs:
        summary.docs = _step(summary, "docs", lambda: generate_docs(settings, dbt_target))


@flow(name=DEPLOYMENT_NAME)
def pipeline(
    scale: float = 1.0,
    days_per_run: int = 1,
    target: str | None = None,
    full_refresh: bool = False,
    select: str | None = None,
    exclude: str | None = None,
    node_tasks: bool = True,
    generate: bool = True,
    initial_days: int | None = None,
    seed: int = 42,
    docs: bool = True,
) -> dict[str, Any]:
    """One pipeline run on the warehouse the environment points at.

    Args:
        scale: Volume of generated data (1 = about 100 orders a day).
        days_per_run: Days each run adds after the first one.
        target: Warehouse the loader writes and dbt builds: duckdb (default), postgres or redshift.
        full_refresh: Rebuild incremental models from scratch.
        select: dbt node selection (`--select`), e.g. "marts" or "+fct_orders"; all nodes by default.
        exclude: dbt nodes to leave out (`--exclude`), e.g. "resource_type:test".
        node_tasks: One Prefect task per dbt node; off, dbt runs as one step (faster, no per-node view).
        generate: Generate the next day(s) first; off, the run loads and builds what is already landed.
        initial_days: Days of the first run on an empty lake; the generator's default when None.
        seed: Generator seed; keep it fixed across runs of one warehouse.
        docs: Run `dbt docs generate` after the build.
    """
    settings = OrchestrationSettings()
    warehouse_target = target or settings.warehouse_target
    summary = RunSummary(flow_run_id=str(runtime_flow_run.id))
    waiting = time.perf_counter()
    with pipeline_lock(settings.lock_path, timeout=settings.pipeline_lock_timeout_seconds):
        summary.step_seconds["wait for lock"] = round(time.perf_counter() - waiting, 2)
        try:
            _run_steps(
                settings,
                summary,
                scale=scale,
                days_per_run=days_per_run,
                warehouse_target=warehouse_target,
                dbt_target=settings.dbt_target_for(warehouse_target),
                full_refresh=full_refresh,
                select=select,
                exclude=exclude,
                node_tasks=node_tasks,
                generate=generate,
                initial_days=initial_days,
                seed=seed,
                docs=docs,
            )
            summary.status = "completed"
        except BaseException:
            summary.status = "failed"
            raise
        finally:
            create_markdown_artifact(
                summary.markdown(), key=SUMMARY_ARTIFACT_KEY, description="Rows per mart, dbt tests, seconds per step"
            )
    return summary.as_dict()
