"""Serve the pipeline as a deployment: a schedule (every 120 s by default), one run at a time."""

from __future__ import annotations

import multiprocessing
import os
import signal
from typing import Any

from orchestration.settings import DEPLOYMENT_NAME


def serve_pipeline(*, interval: float, parameters: dict[str, Any]) -> None:
    """Register the deployment against PREFECT_API_URL and run its scheduled runs until interrupted.

    `global_limit=1` is the deployment's concurrency limit on the server (later runs wait in the
    queue); `limit=1` keeps this process from starting a second run; the warehouse lock inside the
    flow covers runs started any other way.
    """
    from prefect.deployments.runner import EntrypointType

    from orchestration.flow import pipeline

    # Ctrl-C as SIGTERM: Prefect's runner shuts down cleanly on SIGTERM only (on SIGINT it waits for
    # the run in progress, which may never end if its server went away).
    signal.signal(signal.SIGINT, lambda *_: os.kill(os.getpid(), signal.SIGTERM))

    try:
        pipeline.serve(
            name=DEPLOYMENT_NAME,
            interval=interval,
            parameters=parameters,
            global_limit=1,
            limit=1,
            paused=False,
            tags=["ecommerce-elt"],
            entrypoint_type=EntrypointType.MODULE_PATH,
        )
    finally:
        stop_flow_run_processes()


def stop_flow_run_processes(grace_seconds: float = 15.0) -> None:
    """Stop the flow-run processes the runner started and left behind on shutdown.

    Each run is a multiprocessing child; the interpreter would wait for it at exit, forever if its
    server is gone. Terminated, the run is reported crashed and the warehouse lock is released.
    """
    for child in multiprocessing.active_children():
        child.terminate()
        child.join(grace_seconds)
        if child.is_alive():
            child.kill()
            child.join()
