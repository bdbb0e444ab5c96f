"""`python -m orchestration run | serve | ui`: one pipeline run, or the pipeline on a schedule."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from orchestration.settings import OrchestrationSettings


def _quiet_defaults() -> None:
    # Before Prefect or dbt are imported: keep Prefect's state in the project, send nothing home.
    os.environ.setdefault("PREFECT_HOME", str(Path.cwd() / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    # The temporary server migrates a new database first; 20 s (Prefect's default) is short on a busy machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


_quiet_defaults()

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)
console = Console(soft_wrap=True)  # one summary line stays one line in logs and pipes

Scale = Annotated[float, typer.Option(help="Data volume: 1 = about 100 orders a day.")]
DaysPerRun = Annotated[int, typer.Option(help="Days each run adds once the first window is in.")]
Target = Annotated[str | None, typer.Option(help="duckdb, postgres or redshift (default WAREHOUSE_TARGET).")]
Select = Annotated[str | None, typer.Option(help="dbt --select, e.g. 'marts' or '+fct_orders'.")]
Exclude = Annotated[str | None, typer.Option(help="dbt --exclude, e.g. 'resource_type:test'.")]
NodeTasks = Annotated[bool, typer.Option(help="One Prefect task per dbt node; off: dbt as one step, faster.")]
InitialDays = Annotated[int | None, typer.Option(help="Days of the first run on an empty lake (generator default).")]
Seed = Annotated[int, typer.Option(help="Generator seed; keep it fixed for one warehouse.")]
Docs = Annotated[bool, typer.Option(help="Run `dbt docs generate` after the build.")]


def _parameters(**given: Any) -> dict[str, Any]:
    return {name: value for name, value in given.items() if value is not None}


def print_summary(result: dict[str, Any]) -> None:
    """What the run added, rows per mart, tests, seconds per step, and where to look next."""
    if result.get("first_day"):
        console.print(f"Added {result['first_day']} to {result['last_day']} (load {result['load_id']})")
    marts = Table("mart", "rows", title="Rows per mart")
    for mart, rows in result["mart_rows"].items():
        marts.add_row(mart, f"{rows:,}")
    console.print(marts)
    console.print(
        f"dbt: {result['models_built']} models built; tests: [green]{result['tests_passed']} passed[/], "
        f"{result['tests_failed']} failed, {result['tests_warned']} warned"
    )
    steps = "  ".join(f"{step} {seconds:.1f}s" for step, seconds in result["step_seconds"].items())
    console.print(f"Seconds per step: {steps}")
    console.print("\nWhere to look next:")
    if result.get("docs"):
        console.print(f"  dbt docs:     make docs  (site generated in {result['docs']})")
    console.print("  Prefect UI:   make ui    (this run is in its history)")
    if result.get("snapshot"):
        console.print(f"  Dashboard:    make bi    (Superset over the BI snapshot in {result['snapshot']})")
        console.print("  Exports:      python -m loader export  (marts as CSV and Parquet under exports/)")


@app.command()
def run(
    scale: Scale = 1.0,
    days_per_run: DaysPerRun = 1,
    target: Target = None,
    full_refresh: Annotated[bool, typer.Option(help="Rebuild incremental models from scratch.")] = False,
    select: Select = None,
    exclude: Exclude = None,
    node_tasks: NodeTasks = True,
    generate: Annotated[bool, typer.Option(help="Generate the next day(s) before loading.")] = True,
    initial_days: InitialDays = None,
    seed: Seed = 42,
    docs: Docs = True,
) -> None:
    """Run the pipeline once, in this process (Prefect starts a temporary server; none needed)."""
    from contextlib import nullcontext

    from orchestration.server import early_temporary_server

    # The server's own log goes to a file: stopping it at the end cancels its last event flush, which it
    # reports with a traceback that would read like a failure of the run.
    server_log = Path(os.environ["PREFECT_HOME"]) / "temporary-server.log"
    server_log.parent.mkdir(parents=True, exist_ok=True)
    configured = bool(os.environ.get("PREFECT_API_URL"))
    server = nullcontext(lambda: None) if configured else early_temporary_server(server_log)
    with server as wait_ready:
        from orchestration.flow import pipeline

        try:
            if not configured:
                _prepare_dbt(target, node_tasks=node_tasks)
            wait_ready()
            with _no_heartbeats_unless(configured):
                result = pipeline(
                    scale=scale,
                    days_per_run=days_per_run,
                    target=target,
                    full_refresh=full_refresh,
                    select=select,
                    exclude=exclude,
                    node_tasks=node_tasks,
                    generate=generate,
                    initial_days=initial_days,
                    seed=seed,
                    docs=docs,
                )
        except Exception as exc:
            console.print(f"[red]Pipeline failed:[/] {exc}")
            raise typer.Exit(1) from exc
    print_summary(result)
    _exit_now()


@contextmanager
def _no_heartbeats_unless(configured: bool) -> Iterator[None]:
    """No flow-run heartbeats for a run on the temporary server, which stops when the run ends.

    Heartbeats let a lasting server mark a run whose process died as crashed; the temporary server
    dies with the process. The heartbeat thread sleeps in 1 s steps and the run ends only once it wakes.
    """
    if configured:
        yield
        return
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def _prepare_dbt(target: str | None, *, node_tasks: bool) -> None:
    """What the dbt step can do before the flow starts, while Prefect's server starts on the other core.

    Imports dbt (and prefect-dbt for node tasks) and parses the project into the build's target folder,
    under the warehouse lock: when another run holds it, that run's build is reading the folder, so
    this one skips the parse and its build parses in turn.
    """
    import importlib

    from orchestration import dbt_steps
    from orchestration.lock import PipelineBusyError, pipeline_lock

    if node_tasks:
        importlib.import_module("orchestration.dbt_node_tasks")
    settings = OrchestrationSettings()
    dbt_target = settings.dbt_target_for(target or settings.warehouse_target)
    try:
        with pipeline_lock(settings.lock_path, timeout=0):
            dbt_steps.parse_project(
                project_dir=settings.dbt_project_dir,
                profiles_dir=settings.dbt_profiles_dir,
                target_path=settings.target_path(dbt_target),
                target=dbt_target,
            )
    except PipelineBusyError:
        pass


def _exit_now() -> None:
    """Leave without the interpreter's teardown, once Prefect's logs and events are sent.

    Objects that dbt-duckdb and prefect-dbt leave in daemon threads make the teardown print dozens of
    nanobind "leaked instance" lines, and could abort the process after a successful run. The
    semaphores dbt's spawn context created are released first (the part of multiprocessing's own exit
    hook that os._exit skips), or its resource tracker reports them as leaked.
    """
    import multiprocessing.util

    from orchestration.server import drain_prefect_workers

    drain_prefect_workers()
    multiprocessing.util._run_finalizers(0)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _serve(interval: float | None, port: int | None, parameters: dict[str, Any]) -> None:
    from orchestration.serving import serve_pipeline

    interval = interval or OrchestrationSettings().pipeline_interval_seconds

    api_url = os.environ.get("PREFECT_API_URL")
    if api_url and port is None:
        console.print(f"Serving against {api_url}")
        serve_pipeline(interval=interval, parameters=parameters)
        return

    from prefect.settings import PREFECT_API_URL, temporary_settings

    from orchestration.server import prefect_server

    port = port or OrchestrationSettings().prefect_ui_port
    console.print(f"Starting prefect server on 127.0.0.1:{port} ...")
    with prefect_server(port) as api_url, temporary_settings(updates={PREFECT_API_URL: api_url}):
        os.environ["PREFECT_API_URL"] = api_url  # for the flow-run processes the runner starts
        console.print(f"[bold]Prefect UI: http://127.0.0.1:{port}[/]  (Ctrl-C stops the server and the schedule)")
        serve_pipeline(interval=interval, parameters=parameters)


IntervalOption = Annotated[
    float | None, typer.Option(help="Seconds between scheduled runs (default PIPELINE_INTERVAL_SECONDS, 120).")
]
PortOption = Annotated[
    int | None, typer.Option(help="Start a prefect server on this port (default PREFECT_UI_PORT, 4200).")
]


@app.command()
def serve(
    interval: IntervalOption = None,
    port: PortOption = None,
    scale: Scale = 1.0,
    days_per_run: DaysPerRun = 1,
    target: Target = None,
    select: Select = None,
    exclude: Exclude = None,
    node_tasks: NodeTasks = True,
    initial_days: InitialDays = None,
    seed: Seed = 42,
    docs: Docs = True,
) -> None:
    """Serve the deployment on a schedule, one run at a time.

    Against PREFECT_API_URL when it is set; otherwise (or with --port) starts a prefect server first.
    """
    _serve(
        interval,
        port,
        _parameters(
            scale=scale,
            days_per_run=days_per_run,
            target=target,
            select=select,
            exclude=exclude,
            node_tasks=node_tasks,
            initial_days=initial_days,
            seed=seed,
            docs=docs,
        ),
    )


@app.command()
def ui(
    port: Annotated[int | None, typer.Option(help="Port of the UI (default PREFECT_UI_PORT, 4200).")] = None,
    interval: IntervalOption = None,
    scale: Scale = 1.0,
) -> None:
    """Start `prefect server` on 127.0.0.1 and serve the pipeline against it (what `make ui` runs)."""
    _serve(interval, port or OrchestrationSettings().prefect_ui_port, _parameters(scale=scale))


def main() -> None:
    app()
