"""docker-compose.yml validates with the real compose binary, and wires the stack the way the docs say.

No Docker engine here: `compose config` is the whole check compose can make offline (schema, interpolation,
references between services, volumes). The structural tests below read its resolved output.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml

from tests.infrastructure.tools import COMPOSE_FILE, REPO_ROOT, SAMPLE_ENV, compose_binary, run

LONG_RUNNING = ("prefect-server", "pipeline", "minio", "superset", "docs")
ONE_SHOT_JOBS = ("minio-init", "superset-init")


def compose_config(compose_file: Path, env: dict[str, str], tmp_path: Path, *args: str):
    """`compose config` on `compose_file` with exactly `env` as its `.env` (nothing from this process)."""
    env_file = tmp_path / "sample.env"
    env_file.write_text("".join(f"{key}={value}\n" for key, value in env.items()), encoding="utf-8")
    clean_environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    return run(
        [
            compose_binary(),
            "--project-directory",
            REPO_ROOT,
            "-f",
            compose_file,
            "--env-file",
            env_file,
            "config",
            *args,
        ],
        env=clean_environment,
    )


@pytest.fixture(scope="module")
def resolved(tmp_path_factory) -> dict:
    result = compose_config(COMPOSE_FILE, SAMPLE_ENV, tmp_path_factory.mktemp("compose"), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_compose_file_validates_with_sample_env(tmp_path):
    result = compose_config(COMPOSE_FILE, SAMPLE_ENV, tmp_path, "--quiet")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("required", sorted(SAMPLE_ENV))
def test_compose_refuses_to_start_without_each_secret(tmp_path, required):
    env = {key: value for key, value in SAMPLE_ENV.items() if key != required}
    result = compose_config(COMPOSE_FILE, env, tmp_path, "--quiet")
    assert result.returncode != 0
    assert required in result.stderr


@pytest.mark.parametrize(
    ("breakage", "expected_error"),
    [
        (
            lambda c: c["services"]["pipeline"]["depends_on"].update(
                {"no-such-service": {"condition": "service_healthy"}}
            ),
            "no-such-service",
        ),
        (lambda c: c["services"]["minio"].update({"volumes": ["undeclared-volume:/data"]}), "undeclared-volume"),
        (lambda c: c["services"]["pipeline"].update({"healthcheck": {"interval": "soon"}}), "interval"),
    ],
    ids=["unknown-dependency", "undeclared-volume", "bad-duration"],
)
def test_compose_check_fails_on_a_broken_copy(tmp_path, breakage, expected_error):
    # Written next to the original so relative paths (build contexts, bind mounts) resolve the same.
    config = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    breakage(config)
    broken = tmp_path / "docker-compose.broken.yml"
    broken.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = compose_config(broken, SAMPLE_ENV, tmp_path, "--quiet")
    assert result.returncode != 0, f"compose accepted a broken file:\n{broken.read_text()}"
    assert expected_error in result.stderr


def test_every_long_running_service_has_a_healthcheck(resolved):
    services = resolved["services"]
    assert set(LONG_RUNNING) | set(ONE_SHOT_JOBS) == set(services)
    for name in LONG_RUNNING:
        test = services[name].get("healthcheck", {}).get("test")
        assert test and test[0] == "CMD", f"{name} has no exec-form healthcheck"


def test_start_order_waits_on_health_not_on_start(resolved):
    services = resolved["services"]
    assert services["pipeline"]["depends_on"]["prefect-server"]["condition"] == "service_healthy"
    assert services["pipeline"]["depends_on"]["minio-init"]["condition"] == "service_completed_successfully"
    assert services["minio-init"]["depends_on"]["minio"]["condition"] == "service_healthy"
    assert services["superset-init"]["depends_on"]["superset"]["condition"] == "service_healthy"
    assert services["superset-init"]["depends_on"]["pipeline"]["condition"] == "service_healthy"
    # Readers of the pipeline's volumes start after it, so the pipeline's image initialises them.
    assert services["superset"]["depends_on"]["pipeline"]["condition"] == "service_started"
    assert services["docs"]["depends_on"]["pipeline"]["condition"] == "service_started"
    for job in ONE_SHOT_JOBS:
        assert services[job]["restart"] == "no", f"{job} is a one-shot job: it must not restart forever"


def test_state_lives_in_named_volumes(resolved):
    declared = set(resolved["volumes"])
    assert {"prefect-data", "minio-data", "warehouse", "superset-home", "pipeline-data"} <= declared
    for name, service in resolved["services"].items():
        for volume in service.get("volumes", []):
            if volume["type"] == "volume":
                assert volume["source"] in declared, f"{name} mounts undeclared volume {volume['source']}"
            else:
                assert volume.get("read_only"), f"{name} bind-mounts {volume['source']} writable"


def test_bi_and_docs_read_the_pipeline_volumes_read_only(resolved):
    """DuckDB has one writer: only the pipeline may open the warehouse volume for writing."""
    mounts = {
        name: {v["source"]: v.get("read_only", False) for v in s.get("volumes", []) if v["type"] == "volume"}
        for name, s in resolved["services"].items()
    }
    assert mounts["pipeline"]["warehouse"] is False
    assert mounts["superset"]["warehouse"] is True
    assert mounts["docs"]["pipeline-data"] is True
    writers = [name for name, volumes in mounts.items() if volumes.get("warehouse") is False]
    assert writers == ["pipeline"]


def test_ports_published_as_documented(resolved):
    published = {
        name: {int(p["target"]): int(p["published"]) for p in s.get("ports", [])}
        for name, s in resolved["services"].items()
    }
    assert published["prefect-server"] == {4200: 4200}
    assert published["superset"] == {8088: 8088}
    assert published["docs"] == {8080: 8081}
    assert published["minio"] == {9000: 9000, 9001: 9001}
    assert published["pipeline"] == {}


def test_pipeline_talks_to_the_stack_not_to_defaults(resolved):
    env = resolved["services"]["pipeline"]["environment"]
    assert env["PREFECT_API_URL"] == "http://prefect-server:4200/api"
    assert env["S3_ENDPOINT_URL"] == "http://minio:9000"
    assert env["LAKE_URL"] == "s3://ecommerce-lake"
    assert env["AWS_SECRET_ACCESS_KEY"] == SAMPLE_ENV["LAKE_SECRET_ACCESS_KEY"]
    assert env["DUCKDB_PATH"].startswith("/app/warehouse/")
    # The provisioner tells Superset where the snapshot is inside the superset container.
    provisioner = resolved["services"]["superset-init"]["environment"]
    superset_mounts = {v["source"]: v["target"] for v in resolved["services"]["superset"]["volumes"]}
    assert provisioner["BI_DUCKDB_PATH"].startswith(superset_mounts["warehouse"] + "/bi/")
    assert provisioner["SUPERSET_URL"] == "http://superset:8088"


def test_no_secret_has_a_default_in_the_compose_file():
    """Every password-like setting is `${VAR:?message}`: compose refuses to start without it."""
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    for variable in SAMPLE_ENV:
        assert f"${{{variable}:?" in text, f"{variable} must be required (${{{variable}:?...}})"
        assert f"${{{variable}:-" not in text, f"{variable} must not have a default"


def test_settings_passed_to_our_code_are_settings_it_reads(resolved):
    """A misspelt variable in compose is silently ignored by the container: each must be read somewhere."""
    from tests.infrastructure import env_scan

    read_by_code = {read.name for read in env_scan.scan(REPO_ROOT)}
    read_by_scripts = {
        name
        for script in (REPO_ROOT / "docker").rglob("*.sh")
        for name in re.findall(r"\$\{?([A-Z_][A-Z0-9_]*)", script.read_text(encoding="utf-8"))
    }
    read_by_boto3 = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}  # PREFECT_* are checked against Prefect itself
    for name in ("pipeline", "superset-init", "docs"):
        passed = set(resolved["services"][name].get("environment", {}))
        unknown = {v for v in passed - read_by_code - read_by_scripts - read_by_boto3 if not v.startswith("PREFECT_")}
        assert not unknown, f"{name} is given {sorted(unknown)}, which nothing reads"
