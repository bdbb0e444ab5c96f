"""A `prefect server` on 127.0.0.1 for `serve` and `make ui`: started as a child, stopped with it.

Schedules need a real server: its scheduler service creates the runs that `serve` picks up, and its
UI shows them. The ephemeral server `run` starts has neither. The server keeps its SQLite database
in PREFECT_HOME, the same one `make run` uses, so earlier runs show up in the UI too.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

STARTUP_TIMEOUT_SECONDS = 120.0
#: A new PREFECT_HOME's database is migrated first: slow on a busy machine.
EPHEMERAL_STARTUP_TIMEOUT_SECONDS = 180.0
#: Task-run events the temporary server's recorder writes per transaction (Prefect's default: 1); a
#: partial batch waits at most a second, or is written when the server stops.
TASK_RUN_RECORDER_BATCH = 25
#: How long the recorder's counts must stay still before the temporary server may stop.
RECORDER_SETTLE_SECONDS = 0.5
RECORDER_WAIT_TIMEOUT_SECONDS = 60.0
FINAL_STATE_TYPES = ("COMPLETED", "FAILED", "CANCELLED", "CRASHED")


class PrefectServerError(RuntimeError):
    """The Prefect server could not be started."""


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
        return True


def wait_until_healthy(api_url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise PrefectServerError(f"prefect server exited with code {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise PrefectServerError(f"prefect server at {api_url} was not healthy after {timeout:.0f} s")


def stop_process(process: subprocess.Popen, grace_seconds: float = 15.0, sig: int = signal.SIGINT) -> None:
    """Signal `process` (and only it; Ctrl-C by default), then kill it if it does not stop in time."""
    if process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(grace_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def prefect_server(port: int, *, log_file: Path | None = None) -> Iterator[str]:
    """Run `prefect server start` on 127.0.0.1:`port`; yields the API URL, stops the server on exit."""
    if not port_is_free(port):
        raise PrefectServerError(
            f"Port {port} on 127.0.0.1 is taken: pick another with PREFECT_UI_PORT=... (or --port)."
        )
    api_url = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "true",
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(port),
        # The UI's own idea of where the API is; `--port` alone leaves it at 4200.
        "PREFECT_UI_API_URL": api_url,
    }
    env.pop("PREFECT_API_URL", None)
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    output = log_file.open("ab") if log_file else subprocess.DEVNULL
    # Its own session: a terminal's Ctrl-C must not stop the server under runs still reporting to it;
    # the `finally` below stops it once they are done.
    process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_healthy(api_url, process, STARTUP_TIMEOUT_SECONDS)
        yield api_url
    finally:
        stop_process(process)
        if log_file:
            output.close()


@contextmanager
def early_temporary_server(log_file: Path | None = None) -> Iterator[Callable[[], None]]:
    """Start the API server a one-off run needs now, in parallel with the imports; yields `wait_ready`.

    What Prefect does itself when PREFECT_API_URL is unset (the same uvicorn app, no UI, no services),
    only started before Prefect and dbt are imported (about 9 s here) instead of after. Sets
    PREFECT_API_URL for this process; stops the server on exit.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api_url = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    # No telemetry heartbeat from a run started without make (which turns it off too).
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    # Block types are for the UI's Blocks page; `prefect server start` (make ui) registers them at its
    # own start. Skipping them here saves loading every Prefect collection (dbt among them): 5 to 7 s.
    env |= {"PREFECT_API_BLOCKS_REGISTER_ON_START": "false", "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false"}
    # Task runs reach the database from the events a run sends; one transaction per event (Prefect's
    # default) fell behind a dbt build's ~840 events and cost the server 3 to 4 s of CPU at scale 1.
    recorder = "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_"
    batch = str(TASK_RUN_RECORDER_BATCH)
    env |= {f"{recorder}BATCH_SIZE": batch, f"{recorder}READ_BATCH_SIZE": batch, f"{recorder}FLUSH_INTERVAL": "1"}
    command = [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"]
    output = log_file.open("ab") if log_file else None
    process = subprocess.Popen(command, env=env, stdout=output, stderr=output, start_new_session=True)
    os.environ["PREFECT_API_URL"] = api_url

    def wait_ready() -> None:
        try:
            wait_until_healthy(api_url, process, EPHEMERAL_STARTUP_TIMEOUT_SECONDS)
        except PrefectServerError as error:
            raise PrefectServerError(f"{error} (its log: {log_file})" if log_file else str(error)) from None

    try:
        yield wait_ready
    finally:
        drain_prefect_workers()
        if process.poll() is None:
            wait_until_task_runs_recorded(api_url)
        os.environ.pop("PREFECT_API_URL", None)
        stop_process(process, sig=signal.SIGTERM)
        if output:
            output.close()


def _task_run_counts(api_url: str) -> tuple[int, int]:
    """(all task runs, task runs in a final state) in the server's database."""
    counts = []
    for body in ({}, {"task_runs": {"state": {"type": {"any_": list(FINAL_STATE_TYPES)}}}}):
        request = urllib.request.Request(
            f"{api_url}/task_runs/count",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            counts.append(int(response.read()))
    return counts[0], counts[1]


def wait_until_task_runs_recorded(api_url: str, timeout: float = RECORDER_WAIT_TIMEOUT_SECONDS) -> None:
    """Wait until the server has written the task-run events it received, before it is stopped.

    Stopping the server drops the events its recorder has not consumed yet: task runs went missing or
    stayed "Running" in the UI (45 of 279 at scale 1). The recorder reads hundreds of events a second
    and writes each full batch at once, so counts that stay still for half a second mean it has caught
    up; the partial batch it still holds is written when the server stops.
    """
    deadline = time.monotonic() + timeout
    last, still_since = None, time.monotonic()
    while time.monotonic() < deadline:
        try:
            counts = _task_run_counts(api_url)
        except (urllib.error.URLError, OSError, ValueError):
            return
        if counts != last:
            last, still_since = counts, time.monotonic()
        elif time.monotonic() - still_since >= RECORDER_SETTLE_SECONDS:
            return
        time.sleep(0.1)


def drain_prefect_workers(timeout: float = 10.0) -> None:
    """Send the logs and events Prefect still holds before their server goes (Prefect drains at exit,
    which would be after the server stopped)."""
    if "prefect" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        worker.drain_all(timeout=timeout)
