"""Settings the orchestration reads from the environment (and `.env`), with the embedded defaults.

One object so that the CLI, the flow and the tests agree on where the warehouse, the lake, the dbt
project and the BI snapshot live; tests point them at a temporary folder through the same env vars.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The deployment's name when served; `prefect deployment run 'ecommerce-elt/ecommerce-elt'` starts one.
DEPLOYMENT_NAME = "ecommerce-elt"
DEFAULT_INTERVAL_SECONDS = 120


class OrchestrationSettings(BaseSettings):
    """Where the pipeline reads and writes; every field has an env var of the same name in capitals."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)

    duckdb_path: Path = Field(Path("warehouse/ecommerce.duckdb"), description="The DuckDB warehouse file.")
    lake_url: str = Field("lake", description="Where raw batches land: a local folder or s3://bucket/prefix.")
    s3_endpoint_url: str | None = Field(None, description="S3-compatible endpoint for an s3:// lake (MinIO, moto).")
    warehouse_target: str = Field("duckdb", description="duckdb, postgres or redshift: what the loader writes.")
    dbt_project_dir: Path = Field(Path("dbt_project"), description="The dbt project.")
    dbt_profiles_dir: Path = Field(Path("profiles"), description="The folder holding profiles.yml.")
    dbt_target: str | None = Field(None, description="dbt target; by default the one named after the warehouse.")
    dbt_target_path: Path | None = Field(
        None, description="dbt's target folder (manifest, run results, docs); default <project>/target[-<target>]."
    )
    bi_snapshot_dir: Path | None = Field(
        None, description="Where the read-only BI copy is published; default <warehouse folder>/bi."
    )
    pipeline_lock_timeout_seconds: float = Field(
        900.0, description="How long a run waits for another run to finish before it gives up."
    )
    pipeline_interval_seconds: int = Field(DEFAULT_INTERVAL_SECONDS, description="Schedule of `serve`.")
    prefect_ui_port: int = Field(4200, description="Port of the Prefect server `make ui` starts.")

    @property
    def bi_dir(self) -> Path:
        return self.bi_snapshot_dir or self.duckdb_path.parent / "bi"

    @property
    def lock_path(self) -> Path:
        # Next to the warehouse file: every process that writes it agrees on this path.
        return self.duckdb_path.parent / f".{self.duckdb_path.name}.pipeline.lock"

    def target_path(self, dbt_target: str) -> Path:
        """dbt's target folder: DBT_TARGET_PATH, else `target` for dev and `target-<name>` for the others
        (as docs/dbt.md lays out: each target its own folder, so catalogs and partial parses never mix)."""
        # Absolute: dbt reads a relative --target-path from the project folder, not from where it runs.
        if self.dbt_target_path:
            return self.dbt_target_path.resolve()
        return (self.dbt_project_dir / ("target" if dbt_target == "dev" else f"target-{dbt_target}")).resolve()

    def dbt_target_for(self, warehouse_target: str) -> str:
        """The dbt target building `warehouse_target`: DBT_TARGET if set, else dev for DuckDB."""
        if self.dbt_target:
            return self.dbt_target
        return "dev" if warehouse_target == "duckdb" else warehouse_target
