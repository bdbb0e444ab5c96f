"""Every setting the loader reads, from the environment and `.env`, in one object.

Flags on the command line and keyword arguments of `loader.api` override these; nothing else in the
package reads the environment, so `.env.example` can list exactly what is here.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Target(StrEnum):
    """Warehouses the loader writes to."""

    DUCKDB = "duckdb"
    POSTGRES = "postgres"
    REDSHIFT = "redshift"


class LoaderSettings(BaseSettings):
    """The loader's settings; each field is the environment variable of the same name, upper-cased."""

    # Empty values (`REDSHIFT_SLICES=` as .env.example writes them) mean "not set", not "invalid".
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    # --- lake
    lake_url: str = Field("lake", description="Local folder or s3://bucket/prefix where batches land.")
    s3_endpoint_url: str | None = Field(None, description="S3-compatible endpoint (MinIO, moto); empty for AWS.")
    aws_region: str | None = Field(None, description="Region of the bucket and of Redshift's COPY.")
    # boto3 reads these from the environment itself; they are here so that a `.env` file works too.
    aws_profile: str | None = Field(None, description="Named profile of ~/.aws to use.")
    aws_access_key_id: SecretStr | None = Field(None, description="Static key (MinIO, tests); else the chain.")
    aws_secret_access_key: SecretStr | None = None
    lake_create_bucket: bool = Field(False, description="Create the bucket (private, encrypted) when missing.")
    loader_part_size_mb: int = Field(64, ge=1, description="Uncompressed size that triggers a new part file.")

    # --- warehouse
    warehouse_target: Target = Field(Target.DUCKDB, description="duckdb, postgres or redshift.")
    duckdb_path: Path = Field(Path("warehouse/ecommerce.duckdb"), description="DuckDB warehouse file.")
    duckdb_memory_limit: str = Field(
        "256MB", description="DuckDB's buffer pool for a load: it would otherwise keep every written block cached."
    )
    raw_schema: str = Field("raw", description="Schema of the raw tables and the loader's audit tables.")
    postgres_dsn: str | None = Field(None, description="libpq connection string of the PostgreSQL warehouse.")

    # --- rejected rows
    loader_max_rejected_rows: int | None = Field(None, ge=0, description="Fail a table above this many rejects.")
    loader_max_rejected_fraction: float = Field(
        0.01, ge=0, le=1, description="Fail a table when more than this share of its rows is rejected."
    )

    # --- redshift
    redshift_host: str | None = None
    redshift_port: int = 5439
    redshift_database: str = "dev"
    redshift_user: str | None = None
    redshift_password: SecretStr | None = None
    redshift_iam_auth: bool = Field(False, description="Get temporary database credentials through IAM.")
    redshift_workgroup: str | None = Field(None, description="Serverless workgroup name (IAM auth).")
    redshift_cluster_id: str | None = Field(None, description="Provisioned cluster identifier (IAM auth).")
    redshift_copy_role_arn: str | None = Field(None, description="Role Redshift assumes to read the lake.")
    redshift_copy_access_key_id: SecretStr | None = Field(None, description="Fallback when no role can be used.")
    redshift_copy_secret_access_key: SecretStr | None = None
    redshift_slices: int | None = Field(None, ge=1, description="Slices of the cluster: part counts become a multiple.")
    redshift_max_error: int = Field(0, ge=0, description="COPY's MAXERROR: 0 fails on the first rejected row.")
    redshift_connect_timeout: float = Field(5.0, gt=0, description="Seconds doctor waits for the endpoint.")

    @property
    def redshift_serverless(self) -> bool:
        """Serverless endpoints log load errors in SYS_LOAD_ERROR_DETAIL, provisioned ones in STL_LOAD_ERRORS."""
        return bool(self.redshift_workgroup) or ".redshift-serverless." in (self.redshift_host or "")

    def with_overrides(self, **overrides: object) -> LoaderSettings:
        """A copy with the non-None overrides applied (flags and API arguments win over the environment)."""
        given = {key: value for key, value in overrides.items() if value is not None}
        return self.model_copy(
            update=self.model_validate({**self.model_dump(), **given}).model_dump(include=set(given))
        )


def get_settings(**overrides: object) -> LoaderSettings:
    """Settings from the environment and `.env`, with `overrides` applied."""
    return LoaderSettings().with_overrides(**overrides)
