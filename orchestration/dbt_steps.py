"""dbt inside the flow: `build` with every node as its own Prefect task, then `docs generate`.

prefect-dbt's `PrefectDbtRunner` runs dbt in-process and turns each model, seed, snapshot and test
into a task run, so the Prefect UI shows which node failed and how long each took. Its default
failure message lists the failed nodes; we collect the results ourselves instead, so the summary
artifact is written even when a test fails, and then raise with the failing tests named.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FAILED_STATUSES = {"fail", "error"}

#: Manifests `parse_project` made in this process, by (project, profiles, target path, target), each
#: waiting for the one build that will use it.
_parsed_manifests: dict[tuple[str, str, str, str], Any] = {}


class DbtBuildError(RuntimeError):
    """dbt build failed: a test failed or a model errored. The message names the nodes."""


@dataclass
class BuildOutcome:
    """What one `dbt build` did, counted by node type and status (pass, fail, warn, error, skipped...)."""

    success: bool
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def count(self, resource_type: str, *statuses: str) -> int:
        return sum(n for (kind, status), n in self.counts.items() if kind == resource_type and status in statuses)

    @property
    def tests_passed(self) -> int:
        return self.count("test", "pass")

    @property
    def tests_failed(self) -> int:
        return self.count("test", "fail", "error")

    @property
    def tests_warned(self) -> int:
        return self.count("test", "warn")

    @property
    def models_built(self) -> int:
        return self.count("model", "success")


#: Unit tests check model logic on fixtures: dbt recommends running them in development and CI, not in
#: production builds (they also need every incremental model to exist first, so an empty warehouse fails them).
EXCLUDED_RESOURCE_TYPES = ("unit_test",)


def dbt_args(
    command: list[str],
    *,
    target: str,
    select: str | None = None,
    exclude: str | None = None,
    full_refresh: bool = False,
) -> list[str]:
    args = [*command, "--target", target]
    for resource_type in EXCLUDED_RESOURCE_TYPES:
        args += ["--exclude-resource-type", resource_type]
    if select:
        args += ["--select", *select.split()]
    if exclude:
        args += ["--exclude", *exclude.split()]
    if full_refresh:
        args.append("--full-refresh")
    return args


def outcome_from(result: Any) -> BuildOutcome:
    """Count the run results of a dbtRunnerResult; name every failed or errored node."""
    outcome = BuildOutcome(success=bool(result.success))
    for node_result in getattr(result.result, "results", None) or []:
        kind = str(node_result.node.resource_type)
        status = str(node_result.status)
        outcome.counts[(kind, status)] += 1
        if status in FAILED_STATUSES:
            outcome.failures.append(f"{kind} {node_result.node.name} {status}: {node_result.message}")
    return outcome


def run_build(
    *,
    project_dir: Path,
    profiles_dir: Path,
    target_path: Path,
    target: str,
    select: str | None,
    exclude: str | None,
    full_refresh: bool,
    node_tasks: bool = True,
) -> BuildOutcome:
    """`dbt build`, by default with one Prefect task per node; returns the outcome even when nodes failed.

    Two settings keep the per-node tasks cheaper: dbt's log lines reach Prefect from WARN up (the file
    log keeps INFO; every node's state is in its task anyway), and no Prefect asset is created per node.
    `node_tasks=False` runs dbt as one step instead: much faster, but the UI then shows no node.
    """
    from dbt_common.events.base_types import EventLevel
    from prefect_dbt import PrefectDbtSettings

    from orchestration.dbt_node_tasks import NodeTaskDbtRunner

    args = dbt_args(["build"], target=target, select=select, exclude=exclude, full_refresh=full_refresh)
    manifest = _parsed_manifests.pop(_parse_key(project_dir, profiles_dir, target_path, target), None)
    try:
        if node_tasks:
            settings = PrefectDbtSettings(
                project_dir=project_dir, profiles_dir=profiles_dir, target_path=target_path, log_level=EventLevel.WARN
            )
            runner = NodeTaskDbtRunner(
                settings=settings, manifest=manifest, raise_on_failure=False, disable_assets=True
            )
            result = runner.invoke(args, log_level_file="info")
        else:
            from dbt.cli.main import dbtRunner

            paths = ["--project-dir", str(project_dir), "--profiles-dir", str(profiles_dir)]
            result = dbtRunner(manifest=manifest).invoke([*args, *paths, "--target-path", str(target_path)])
    finally:
        release_warehouse()
    if result.exception is not None:
        raise DbtBuildError(f"dbt build could not run: {result.exception}")
    return outcome_from(result)


def parse_project(*, project_dir: Path, profiles_dir: Path, target_path: Path, target: str) -> None:
    """`dbt parse` into the target path, ahead of a build of the same project and target in this process.

    Meant for time a process would otherwise spend waiting, e.g. on Prefect's temporary server (the
    full parse takes about 8 s at scale 1 on 2 cores). The next `run_build` with the same arguments
    starts from the manifest parsed here instead of reading dbt's saved parse back from the target
    path (0.6 to 1 s), and only that one build does: a build compiles into the manifest it is given.
    A failed parse is left to the build, which parses again and reports the error itself.
    """
    from dbt.cli.main import dbtRunner

    args = ["parse", "--project-dir", str(project_dir), "--profiles-dir", str(profiles_dir)]
    args += ["--target-path", str(target_path), "--target", target, "--log-level", "none", "--log-level-file", "info"]
    try:
        result = dbtRunner().invoke(args)
    finally:
        release_warehouse()
    if result.success and result.result is not None:
        _parsed_manifests[_parse_key(project_dir, profiles_dir, target_path, target)] = result.result


def _parse_key(project_dir: Path, profiles_dir: Path, target_path: Path, target: str) -> tuple[str, str, str, str]:
    return (
        str(Path(project_dir).resolve()),
        str(Path(profiles_dir).resolve()),
        str(Path(target_path).resolve()),
        target,
    )


def release_warehouse() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in this process between invocations.

    dbt-duckdb caches its database handle at class level, so after an in-process build the warehouse
    file stays locked until the process exits: a long-lived process (a test session, a notebook)
    would block every other writer, and the handle's objects are still alive at interpreter exit.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # another adapter: nothing cached
        return
    with DuckDBConnectionManager._LOCK:
        environment, DuckDBConnectionManager._ENV = DuckDBConnectionManager._ENV, None
        if environment is not None:
            environment.close()


def raise_for_failures(outcome: BuildOutcome) -> None:
    if outcome.failures or not outcome.success:
        listed = "\n".join(f"  - {failure}" for failure in outcome.failures) or "  (no node reported a failure)"
        raise DbtBuildError(f"dbt build failed ({len(outcome.failures)} node(s)):\n{listed}")


def generate_docs(*, project_dir: Path, profiles_dir: Path, target_path: Path, target: str) -> Path:
    """`dbt docs generate` into the target path, reusing the build's compiled manifest (no recompile)."""
    from dbt.cli.main import dbtRunner

    args = [
        "docs",
        "generate",
        "--no-compile",
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(profiles_dir),
        "--target-path",
        str(target_path),
        "--target",
        target,
        "--quiet",
    ]
    try:
        result = dbtRunner().invoke(args)
    finally:
        release_warehouse()
    if not result.success:
        raise DbtBuildError(f"dbt docs generate failed: {result.exception}")
    return target_path / "index.html"
