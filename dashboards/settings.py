"""Every setting the dashboard tooling reads, from the environment and `.env`, in one object.

Redshift is reached with the loader's own variables (REDSHIFT_HOST, ...), so one `.env` serves both.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from urllib.parse import quote

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class BiSource(StrEnum):
    """Where Superset reads the marts."""

    DUCKDB = "duckdb"
    REDSHIFT = "redshift"


class DashboardSettings(BaseSettings):
    """The dashboard tooling's settings; each field is the environment variable of the same name, upper-cased."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # --- Superset itself
    superset_host: str = Field("127.0.0.1", description="Address Superset listens on (loopback by default).")
    superset_port: int = Field(8088, ge=1, le=65535, description="Port Superset listens on.")
    superset_url: str | None = Field(None, description="Address of a Superset started elsewhere (provision only).")
    superset_home: Path = Field(REPO_ROOT / ".superset", description="Metadata DB, secret key and logs.")
    superset_venv: Path = Field(REPO_ROOT / ".superset/venv", description="Superset's own virtual environment.")
    superset_admin_user: str = Field("admin", description="Admin login created at start (local use).")
    superset_admin_password: SecretStr = Field(SecretStr("admin"), description="Admin password (local use).")

    # --- what the dashboard reads
    bi_source: BiSource = Field(BiSource.DUCKDB, description="duckdb (the BI snapshot) or redshift.")
    bi_duckdb_path: Path = Field(
        REPO_ROOT / "warehouse/bi/ecommerce_bi.duckdb", description="Read-only DuckDB snapshot of the marts."
    )

    # --- redshift (the loader's variables)
    redshift_host: str | None = None
    redshift_port: int = 5439
    redshift_database: str = "dev"
    redshift_user: str | None = None
    redshift_password: SecretStr | None = None

    @property
    def base_url(self) -> str:
        """Where to reach Superset: SUPERSET_URL, else the address `serve` binds."""
        return self.superset_url or f"http://{self.superset_host}:{self.superset_port}"

    def database_uri(self) -> str:
        """The SQLAlchemy URI Superset connects with; a Redshift password is sent apart, never in the URI."""
        if self.bi_source is BiSource.REDSHIFT:
            if not (self.redshift_host and self.redshift_user):
                raise ValueError("BI_SOURCE=redshift needs REDSHIFT_HOST and REDSHIFT_USER (and REDSHIFT_PASSWORD)")
            user = quote(self.redshift_user, safe="")
            secret = ":XXXXXXXXXX" if self.redshift_password else ""
            return (
                f"redshift+psycopg2://{user}{secret}@{self.redshift_host}:{self.redshift_port}/{self.redshift_database}"
            )
        return f"duckdb:///{self.bi_duckdb_path.resolve()}"

    def database_password(self) -> str | None:
        if self.bi_source is BiSource.REDSHIFT and self.redshift_password:
            return self.redshift_password.get_secret_value()
        return None


def get_settings(**overrides: object) -> DashboardSettings:
    """Settings from the environment and `.env`, with the non-None `overrides` applied."""
    return DashboardSettings(**{key: value for key, value in overrides.items() if value is not None})
