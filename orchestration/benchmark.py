"""`python -m orchestration.benchmark`: one full pipeline run against a bare `dbt build` of the same data.

Both start from an empty warehouse in their own temporary folder at the same scale. The pipeline is
`python -m orchestration run` as `make run` calls it (generation, landing, loading, dbt build with a
Prefect task per node, BI snapshot, docs, and Prefect's temporary server), with a PREFECT_HOME of its
own whose database is migrated beforehand, untimed, as every run but a clone's very first finds it
(`--fresh-prefect-home` times that first run instead: the migrations cost it 8 to 11 s). The baseline gets the same
raw data loaded first, untimed, then times `dbt build` alone, as a new process (unit tests left out
in both: they need the incremental models to exist, which an empty warehouse does not).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import typer

REPO = Path(__file__).resolve().parents[1]


def _env(work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DUCKDB_PATH": str(work / "warehouse" / "ecommerce.duckdb"),
        "LAKE_URL": str(work / "lake"),
        "DBT_TARGET_PATH": str(work / "dbt-target"),
        "DBT_LOG_PATH": str(work / "dbt-logs"),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }


def _timed(command: list[str], env: dict[str, str], log: Path) -> float:
    started = time.perf_counter()
    with log.open("wb") as out:
        subprocess.run(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, check=True)
    return time.perf_counter() - started


def _measure_pair(root: Path, *, scale: float, node_tasks: bool, fresh_prefect_home: bool) -> dict:
    """One pipeline run and one bare `dbt build`, each from an empty warehouse in its own folder under `root`."""
    pipeline_dir, baseline_dir = root / "pipeline", root / "baseline"
    pipeline_dir.mkdir()
    baseline_dir.mkdir()

    pipeline_env = _env(pipeline_dir) | {"PREFECT_HOME": str(pipeline_dir / ".prefect")}
    if not fresh_prefect_home:
        subprocess.run(
            [sys.executable, "-m", "prefect", "server", "database", "upgrade", "--yes"],
            env=pipeline_env,
            check=True,
            capture_output=True,
        )
    pipeline_seconds = _timed(
        [sys.executable, "-m", "orchestration", "run", "--scale", str(scale)]
        + ([] if node_tasks else ["--no-node-tasks"]),
        pipeline_env,
        pipeline_dir / "run.log",
    )
    log_tail = (pipeline_dir / "run.log").read_text().splitlines()
    steps = next((line for line in log_tail if line.startswith("Seconds per step")), "")

    baseline_env = _env(baseline_dir)
    source = baseline_dir / "source"
    subprocess.run(
        [sys.executable, "-m", "seeds_generator", "--out", str(source), "--scale", str(scale), "--quiet"],
        cwd=REPO,
        env=baseline_env,
        check=True,
    )
    subprocess.run(
        [sys.executable, "-m", "loader", "run", "--source", str(source)],
        cwd=REPO,
        env=baseline_env,
        check=True,
        capture_output=True,
    )
    dbt = str(Path(sys.executable).with_name("dbt"))
    dbt_seconds = _timed(
        [
            dbt,
            "build",
            "--project-dir",
            "dbt_project",
            "--profiles-dir",
            "profiles",
            "--exclude-resource-type",
            "unit_test",
        ],
        baseline_env,
        baseline_dir / "dbt.log",
    )
    return {
        "make_run_seconds": round(pipeline_seconds, 1),
        "dbt_build_seconds": round(dbt_seconds, 1),
        "ratio": round(pipeline_seconds / dbt_seconds, 2),
        "steps": steps,
    }


def main(
    scale: float = typer.Option(1.0, help="Generator scale of both runs."),
    node_tasks: bool = typer.Option(True, help="Pass --no-node-tasks to the pipeline to time dbt as one step."),
    fresh_prefect_home: bool = typer.Option(
        False, help="Time the first run on a clone: Prefect's database is created and migrated in the run."
    ),
    repeat: int = typer.Option(3, min=1, help="Pairs measured back to back; the median ratio is the figure."),
) -> None:
    """Print the seconds of `make run`'s pipeline and of a bare `dbt build`, pair by pair, and the median ratio."""
    ratios = []
    for pair in range(1, repeat + 1):
        root = Path(tempfile.mkdtemp(prefix="bench-orchestration-"))
        try:
            figures = _measure_pair(root, scale=scale, node_tasks=node_tasks, fresh_prefect_home=fresh_prefect_home)
        finally:
            shutil.rmtree(root, ignore_errors=True)
        ratios.append(figures["ratio"])
        steps = figures.pop("steps")
        print(json.dumps({"pair": pair, **figures}))
        print(f"  {steps}")
    summary = {
        "scale": scale,
        "node_tasks": node_tasks,
        "fresh_prefect_home": fresh_prefect_home,
        "pairs": repeat,
        "median_ratio": round(statistics.median(ratios), 2),
        "target_ratio": 1.5,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    typer.run(main)
