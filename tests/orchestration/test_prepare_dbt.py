"""`run` parses the dbt project while Prefect's server starts; the build then starts from that parse."""

from __future__ import annotations

import pytest
from dbt.cli.main import dbtRunner
from prefect import flow

from orchestration import dbt_steps
from orchestration.cli import _prepare_dbt
from orchestration.lock import pipeline_lock
from orchestration.settings import OrchestrationSettings

pytestmark = pytest.mark.slow

FULL_PARSE = "Starting full parse"


def test_parse_is_skipped_while_another_run_holds_the_warehouse_and_reused_by_the_next_dbt_command(workdir):
    settings = OrchestrationSettings()
    target_path = settings.target_path("dev")
    saved_parse = target_path / "partial_parse.msgpack"

    with pipeline_lock(settings.lock_path, timeout=1):
        _prepare_dbt(None, node_tasks=False)
    assert not saved_parse.exists()

    _prepare_dbt(None, node_tasks=False)
    assert saved_parse.is_file() and (target_path / "manifest.json").is_file()

    paths = ["--project-dir", str(settings.dbt_project_dir), "--profiles-dir", str(settings.dbt_profiles_dir)]
    listed = dbtRunner().invoke(["ls", *paths, "--target-path", str(target_path), "--target", "dev", "--quiet"])
    assert listed.success and any(node.endswith(".fct_orders") for node in listed.result)
    dbt_log = (workdir.root / "dbt-logs" / "dbt.log").read_text()
    assert dbt_log.count(FULL_PARSE) == 1
    assert "Nothing changed, skipping partial parsing" in dbt_log


@pytest.mark.parametrize("node_tasks", [False, True], ids=["dbt as one step", "task per node"])
def test_the_next_build_starts_from_the_parsed_manifest_and_only_that_build(workdir, prefect_harness, node_tasks):
    settings = OrchestrationSettings()
    target_path = settings.target_path("dev")
    dbt_log = workdir.root / "dbt-logs" / "dbt.log"

    _prepare_dbt(None, node_tasks=node_tasks)
    assert dbt_log.read_text().count(FULL_PARSE) == 1
    # Without dbt's saved parse, a build that reads it back has to parse the project in full again.
    (target_path / "partial_parse.msgpack").unlink()

    def build() -> int:
        outcome = dbt_steps.run_build(
            project_dir=settings.dbt_project_dir,
            profiles_dir=settings.dbt_profiles_dir,
            target_path=target_path,
            target="dev",
            select="metricflow_time_spine",
            exclude=None,
            full_refresh=False,
            node_tasks=node_tasks,
        )
        return outcome.models_built

    @flow
    def two_builds() -> list[tuple[int, int]]:
        built = []
        for _ in range(2):
            models = build()
            built.append((models, dbt_log.read_text().count(FULL_PARSE)))
        return built

    # The first build used the manifest in memory; the second had none and parsed again.
    assert two_builds() == [(1, 1), (1, 2)]
