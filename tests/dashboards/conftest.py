"""Fixtures of the dashboard tests: real marts published as a BI snapshot, and a real Superset serving them.

Both are built once per module: the marts by the generator, the loader and `dbt run` into a temporary
folder, published with the orchestration's own snapshot function; Superset from its own venv (installed
by the same script as `make bi` when missing), on a free port, with a temporary state folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboards.client import SupersetClient
from dashboards.definition import Definition, load_definition
from dashboards.provision import ApplyReport, apply
from dashboards.server import initialise, install, running_superset
from dashboards.settings import DashboardSettings, get_settings
from orchestration.snapshot import publish_snapshot
from tests.conftest import free_port

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
#: Four months at a fifth of the default volume: a few thousand orders, four cohorts, quick on 2 cores.
SCALE, DAYS = "0.2", "120"


def build_marts(root: Path) -> Path:
    """Generate, load and `dbt run` into `root`, then publish the BI snapshot; returns the snapshot file."""
    warehouse = root / "warehouse" / "ecommerce.duckdb"
    env = {
        **os.environ,
        "DUCKDB_PATH": str(warehouse),
        "LAKE_URL": str(root / "lake"),
        "WAREHOUSE_TARGET": "duckdb",
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_PROJECT_DIR": str(REPO / "dbt_project"),
        "DBT_PROFILES_DIR": str(REPO / "profiles"),
        "DBT_TARGET_PATH": str(root / "dbt-target"),
        "DBT_LOG_PATH": str(root / "dbt-logs"),
    }
    steps = [
        [sys.executable, "-m", "seeds_generator", "--out", str(root / "source"), "--scale", SCALE, "--days", DAYS],
        [sys.executable, "-m", "loader", "run", "--source", str(root / "source")],
        # Seeds and models only: dbt's own tests are the dbt suite's business, not the dashboard's.
        [str(BIN / "dbt"), "build", "--resource-type", "seed", "--resource-type", "model"],
    ]
    for step in steps:
        done = subprocess.run(step, cwd=REPO, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{' '.join(step[:4])} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return publish_snapshot(warehouse, root / "warehouse" / "bi").database


@dataclass(frozen=True)
class SupersetUnderTest:
    client: SupersetClient
    settings: DashboardSettings
    definition: Definition
    snapshot: Path
    first_apply: ApplyReport
    second_apply: ApplyReport


@pytest.fixture(scope="module")
def superset(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SupersetUnderTest]:
    """Superset with the dashboard applied twice over freshly built marts; stopped after the module."""
    root = tmp_path_factory.mktemp("dashboard")
    settings = get_settings(
        superset_home=root / "superset-home",
        superset_port=free_port(),
        superset_admin_password="test-only-password",
        bi_source="duckdb",
        bi_duckdb_path=root / "warehouse" / "bi" / "ecommerce_bi.duckdb",
    )
    definition = load_definition()
    # Superset's first-time set-up and the marts' build are both slow: do them side by side.
    with ThreadPoolExecutor(max_workers=1) as pool:
        superset_ready = pool.submit(lambda: (install(settings), initialise(settings)))
        snapshot = build_marts(root)
        superset_ready.result()
    with running_superset(settings) as client:
        first = apply(client, definition, settings)
        second = apply(client, definition, settings)
        yield SupersetUnderTest(client, settings, definition, snapshot, first, second)
