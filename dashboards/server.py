"""Install, initialise, start and stop Superset, from its own virtual environment.

Superset's pins clash with the pipeline's, so it lives in `.superset/venv` and is driven here as
subprocesses; this module runs in the pipeline's environment and never imports Superset.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dashboards.client import SupersetClient
from dashboards.settings import REPO_ROOT, DashboardSettings

INSTALL_SCRIPT = REPO_ROOT / "dashboards" / "install_superset.sh"
CONFIG_FILE = REPO_ROOT / "dashboards" / "superset_config.py"
INIT_SCRIPT = REPO_ROOT / "dashboards" / "superset_init.py"


class SupersetStartError(RuntimeError):
    """Superset could not be installed, initialised or started; the message says where its log is."""


def install(settings: DashboardSettings) -> None:
    """Create Superset's virtual environment from the lock (a no-op when it is up to date)."""
    subprocess.run(
        ["bash", str(INSTALL_SCRIPT)], env={**os.environ, "SUPERSET_VENV": str(settings.superset_venv)}, check=True
    )


def superset_env(settings: DashboardSettings) -> dict[str, str]:
    """The environment Superset's processes run with: our config, our state folder, no telemetry."""
    env = {
        **os.environ,
        "SUPERSET_CONFIG_PATH": str(CONFIG_FILE),
        "SUPERSET_HOME": str(settings.superset_home),
        "FLASK_APP": "superset.app:create_app()",
        "DO_NOT_TRACK": "1",
        "SCARF_ANALYTICS": "false",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("PYTHONPATH", None)
    env["PATH"] = f"{settings.superset_venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def _log_file(settings: DashboardSettings) -> Path:
    logs = settings.superset_home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    return logs / "superset.log"


def initialise(settings: DashboardSettings) -> None:
    """Migrate the metadata DB, sync roles, and create the admin (or reset its password to the configured one).

    Runs at every start: a few seconds when nothing changed, and the admin always matches the settings.
    """
    settings.superset_home.mkdir(parents=True, exist_ok=True)
    env = superset_env(settings) | {
        "SUPERSET_ADMIN_USER": settings.superset_admin_user,
        "SUPERSET_ADMIN_PASSWORD": settings.superset_admin_password.get_secret_value(),
    }
    with _log_file(settings).open("a", encoding="utf-8") as log_stream:
        done = subprocess.run(
            [str(settings.superset_venv / "bin" / "python"), str(INIT_SCRIPT)],
            env=env,
            stdout=log_stream,
            stderr=subprocess.STDOUT,
        )
    if done.returncode != 0:
        raise SupersetStartError(f"Superset's set-up failed: see {_log_file(settings)}")


def _ensure_port_free(host: str, port: int) -> None:
    # Else the health check could be answered by whatever already listens there.
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            raise SupersetStartError(f"{host}:{port} is already in use: set SUPERSET_PORT to a free port") from error


def start(settings: DashboardSettings) -> subprocess.Popen:
    """Start Superset's web server (gunicorn, one worker with threads: two cores are shared)."""
    _ensure_port_free(settings.superset_host, settings.superset_port)
    command = [
        str(settings.superset_venv / "bin" / "gunicorn"),
        "--workers=1",
        "--worker-class=gthread",
        "--threads=8",
        "--timeout=120",
        "--no-control-socket",
        f"--bind={settings.superset_host}:{settings.superset_port}",
        "superset.app:create_app()",
    ]
    log_stream = _log_file(settings).open("a", encoding="utf-8")
    # Its own session, so stopping it ends the worker too and nothing else.
    return subprocess.Popen(
        command, env=superset_env(settings), stdout=log_stream, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen) -> None:
    """Stop the server we started (its process group), politely first."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def running_superset(settings: DashboardSettings) -> Iterator[SupersetClient]:
    """Superset installed, initialised and serving; yields a logged-in client; stops it on exit."""
    install(settings)
    initialise(settings)
    process = start(settings)
    try:
        client = SupersetClient(f"http://{settings.superset_host}:{settings.superset_port}")
        try:
            client.wait_until_healthy(is_alive=lambda: process.poll() is None)
        except Exception as error:
            raise SupersetStartError(f"{error}; see {_log_file(settings)}") from error
        client.login(settings.superset_admin_user, settings.superset_admin_password.get_secret_value())
        yield client
    finally:
        stop(process)
