"""Where the orchestration puts dbt's target folders: the ones docs/dbt.md names, whatever dbt's own rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.settings import OrchestrationSettings


def test_target_paths_are_absolute_and_relative_to_where_the_pipeline_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # dbt reads a relative --target-path from the project folder: dbt_project/target would become
    # dbt_project/dbt_project/target, where neither `make docs` nor `mf query` look.
    monkeypatch.chdir(tmp_path)
    for name in ("DBT_TARGET_PATH", "DBT_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)
    settings = OrchestrationSettings(_env_file=None)
    assert settings.target_path("dev") == tmp_path / "dbt_project" / "target"
    assert settings.target_path("postgres") == tmp_path / "dbt_project" / "target-postgres"
    chosen = OrchestrationSettings(_env_file=None, dbt_target_path=Path("elsewhere/target"))
    assert chosen.target_path("dev") == tmp_path / "elsewhere" / "target"
