"""prefect-dbt's per-node task runs, started from the flow's live context instead of a serialized copy.

prefect-dbt (0.7.x) hands every node's task thread a *serialized* run context, which the thread and
then Prefect's task engine each rebuild: validated settings, a new API client, a duplicated task
runner, twice per node. On a 2-core machine that rebuild, not dbt, was 41% of the process's time in
a `make run` (py-spy, ~280 nodes at 28 ms each). Prefect's own thread-pool task runner does it the
cheap way: it copies the submitting thread's `contextvars` and passes no serialized context. The
tracker here does the same for dbt nodes, so each node task sees the flow run as its parent exactly
as before, with one shared client.

It also keeps the threads it starts, so `invoke` returns only once every node task has reached a final
state (prefect-dbt starts them as daemons and never joins them), and it hands dbt the manifest it was
given, which prefect-dbt uses for its own graph only.
"""

from __future__ import annotations

import contextvars
import functools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import prefect_dbt.core.runner as prefect_dbt_runner
from dbt.contracts.graph.manifest import Manifest
from prefect.client.schemas.objects import State
from prefect.task_engine import run_task_sync
from prefect.tasks import Task
from prefect_dbt import PrefectDbtRunner
from prefect_dbt.core._tracker import NodeTaskTracker

from orchestration.dbt_steps import DbtBuildError

NODE_TASKS_TIMEOUT_SECONDS = 300.0


class ContextSharingNodeTaskTracker(NodeTaskTracker):
    """A `NodeTaskTracker` whose node tasks run in copies of one captured `contextvars` context."""

    def __init__(self, run_context: contextvars.Context) -> None:
        super().__init__()
        self._run_context = run_context
        self._threads: list[threading.Thread] = []
        self._threads_lock = threading.Lock()

    def run_task_in_thread(
        self,
        node_id: str,
        task: Task[Any, Any],
        task_run_id: UUID,
        parameters: dict[str, Any],
        context: dict[str, Any],
    ) -> None:
        """Run the node's task in a thread; `context` (the serialized copy) is deliberately unused."""
        thread = threading.Thread(
            target=self._run_context.copy().run,
            args=(self._run_task, node_id, task, task_run_id, parameters),
            name=f"dbt node {node_id}",
            daemon=True,
        )
        with self._threads_lock:
            self._threads.append(thread)
        thread.start()

    def _run_task(self, node_id: str, task: Task[Any, Any], task_run_id: UUID, parameters: dict[str, Any]) -> None:
        upstream_states: list[State] = [
            state for dependency in self.get_node_dependencies(node_id) if (state := self.get_task_result(dependency))
        ]
        state = run_task_sync(
            task, task_run_id=task_run_id, parameters=parameters, wait_for=upstream_states, return_type="state"
        )
        self.set_task_result(node_id, state or None)

    def join(self, timeout: float) -> list[str]:
        """Wait for every node task started so far; return the names of threads still running at the deadline."""
        deadline = time.monotonic() + timeout
        with self._threads_lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return [thread.name for thread in threads if thread.is_alive()]


class NodeTaskDbtRunner(PrefectDbtRunner):
    """`PrefectDbtRunner` with node tasks started by a `ContextSharingNodeTaskTracker`.

    `invoke` builds its tracker and passes it to `_create_unified_callback`, the one place that uses it;
    swapping it there, on the thread that called `invoke`, captures that thread's live flow-run context.
    """

    def __init__(
        self,
        *args: Any,
        manifest: Manifest | None = None,
        node_tasks_timeout: float = NODE_TASKS_TIMEOUT_SECONDS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, manifest=manifest, **kwargs)
        self._given_manifest = manifest
        self._node_tasks_timeout = node_tasks_timeout
        self._trackers: list[ContextSharingNodeTaskTracker] = []

    def _create_unified_callback(self, task_state: NodeTaskTracker, *args: Any, **kwargs: Any) -> Any:
        tracker = ContextSharingNodeTaskTracker(contextvars.copy_context())
        self._trackers.append(tracker)
        return super()._create_unified_callback(tracker, *args, **kwargs)

    def invoke(self, *args: Any, **kwargs: Any) -> Any:
        """dbt's result, returned once every node's task run is final in the API.

        dbt can finish while node threads still report their state. Left running, their task runs would
        show as running after the flow ended, and the interpreter could exit under them.
        """
        with _dbt_runner_given(self._given_manifest):
            result = super().invoke(*args, **kwargs)
        while self._trackers:
            if still_running := self._trackers.pop().join(self._node_tasks_timeout):
                raise DbtBuildError(
                    f"{len(still_running)} dbt node task(s) still running after "
                    f"{self._node_tasks_timeout:.0f} s: {still_running[:5]}"
                )
        return result


@contextmanager
def _dbt_runner_given(manifest: Manifest | None) -> Iterator[None]:
    """Have prefect-dbt's `invoke` start dbt with `manifest`, so dbt does not read its parse back from disk.

    prefect-dbt creates its `dbtRunner` without the manifest it holds; dbt then re-reads the saved
    parse and re-checks every project file (0.6 to 1 s at scale 1) before the first node runs.
    """
    if manifest is None:
        yield
        return
    unpatched = prefect_dbt_runner.dbtRunner
    prefect_dbt_runner.dbtRunner = functools.partial(unpatched, manifest=manifest)
    try:
        yield
    finally:
        prefect_dbt_runner.dbtRunner = unpatched
