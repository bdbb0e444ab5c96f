"""`run` parses the dbt project while Prefect's server starts, so that the build re-reads the parse."""

from __future__ import annotations

import pytest
from dbt.cli.main import dbtRunner

from orchestration.cli import _prepare_dbt
from orchestration.lock import pipeline_lock
from orchestration.settings import OrchestrationSettings

pytestmark = pytest.mark.slow


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
    assert dbt_log.count("Starting full parse") == 1
    assert "Nothing changed, skipping partial parsing" in dbt_log
