"""Serve the pipeline as a deployment: a schedule (every 120 s by default), one run at a time."""

from __future__ import annotations

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
