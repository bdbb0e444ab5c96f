"""Fixtures of the orchestration tests: Prefect's test harness and a real `prefect server`, once per
session, and a temporary working folder per test that the env vars point the pipeline at."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from orchestration.server import prefect_server
from tests.conftest import free_port

REPO = Path(__file__).resolve().parents[2]
#: Small enough for 2 busy cores; still a few hundred orders over the first window.
TEST_SCALE = 0.05
#: The project's 236 data tests take most of a build (about 80 of 100 s on 2 busy cores); they are the
#: dbt suite's business. Runs here build every model and seed, and only the tests they name (dbt's
#: indirect selection is off in the test env, so selecting a model does not pull in its tests).
MODELS_AND_SEEDS = "resource_type:model resource_type:seed"
#: The first run checks the task per dbt node; later ones run dbt as one step, three times faster here.
FAST_RUN_ARGS = ("--scale", str(TEST_SCALE), "--no-docs", "--select", MODELS_AND_SEEDS, "--no-node-tasks")


@dataclass(frozen=True)
class Workdir:
    """One warehouse, lake and dbt target folder; `env` points a pipeline (in or out of process) at them."""

    root: Path

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse" / "ecommerce.duckdb"

    @property
    def bi_dir(self) -> Path:
        return self.root / "warehouse" / "bi"

    @property
    def lake(self) -> Path:
        return self.root / "lake"

    @property
    def env(self) -> dict[str, str]:
        return {
            "DUCKDB_PATH": str(self.warehouse),
            "LAKE_URL": str(self.lake),
            "WAREHOUSE_TARGET": "duckdb",
            "DBT_TARGET_PATH": str(self.root / "dbt-target"),
            "DBT_LOG_PATH": str(self.root / "dbt-logs"),
            "PREFECT_HOME": str(self.root / ".prefect"),
            "DBT_INDIRECT_SELECTION": "empty",
        }


def make_workdir(prefix: str) -> Workdir:
    return Workdir(Path(tempfile.mkdtemp(prefix=f"orchestration-{prefix}-")))


@pytest.fixture
def workdir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Workdir]:
    """A fresh folder, with the pipeline's env vars pointing at it for this test."""
    work = make_workdir("test")
    for name, value in work.env.items():
        if name != "PREFECT_HOME":  # the harness owns Prefect's settings in-process
            monkeypatch.setenv(name, value)
    yield work
    shutil.rmtree(work.root, ignore_errors=True)


def base_env() -> dict[str, str]:
    return {
        **os.environ,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "PREFECT_LOGGING_LEVEL": "INFO",
    }


def start_cli(work: Workdir, api_url: str, *args: str, log_name: str, new_session: bool = False) -> subprocess.Popen:
    """`python -m orchestration ARGS` in its own process, against the server at `api_url`.

    `new_session` puts it in a process group of its own, so teardown can stop its children too. Its
    TMPDIR is inside the workdir: a served runner keeps a folder there that a stopped process leaves.
    """
    temporary = work.root / "tmp"
    temporary.mkdir(exist_ok=True)
    env = base_env() | work.env | {"PREFECT_API_URL": api_url, "TMPDIR": str(temporary)}
    with (work.root / log_name).open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "orchestration", *args],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=new_session,
        )


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[str]:
    """Prefect's test harness (a temporary server and database), started once; yields its API URL."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield PREFECT_API_URL.value()


@pytest.fixture(scope="session")
def prefect_server_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `prefect server start` on a free port with its own PREFECT_HOME; yields its API URL."""
    home = tmp_path_factory.mktemp("prefect-server-home")
    previous = os.environ.get("PREFECT_HOME")
    os.environ["PREFECT_HOME"] = str(home)
    try:
        with prefect_server(free_port(), log_file=home / "server.log") as api_url:
            yield api_url
    finally:
        if previous is None:
            os.environ.pop("PREFECT_HOME", None)
        else:
            os.environ["PREFECT_HOME"] = previous
