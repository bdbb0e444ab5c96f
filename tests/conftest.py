"""Session-wide fixtures that start real servers once: PostgreSQL, an S3 endpoint, headless Chromium.

Each fixture starts its server on a free loopback port, hands tests what they need to connect,
and stops only the process it started.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

POSTGRES_BIN_DIRS = ("/usr/lib/postgresql/15/bin",)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _postgres_tool(name: str) -> str:
    found = shutil.which(name) or next(
        (str(Path(d) / name) for d in POSTGRES_BIN_DIRS if (Path(d) / name).exists()), None
    )
    if found is None:
        pytest.fail(f"PostgreSQL's {name} is not installed: run `make system-deps`")
    return found


def _as_postgres_user(command: list[str]) -> list[str]:
    # initdb refuses to run as root; on CI and dev machines we are root, so drop to `postgres`.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A real PostgreSQL 15 server on a free port with an empty `ecommerce` database."""
    data_dir = Path(tempfile.mkdtemp(prefix="pg-test-"))
    if os.geteuid() == 0:
        shutil.chown(data_dir, "postgres", "postgres")
    port = free_port()
    run = {"check": True, "capture_output": True, "text": True}
    subprocess.run(
        _as_postgres_user([_postgres_tool("initdb"), "-D", str(data_dir / "data"), "-U", "postgres", "--auth=trust"]),
        **run,
    )
    options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={data_dir} -c fsync=off"
    pg_ctl = _postgres_tool("pg_ctl")
    subprocess.run(
        _as_postgres_user(
            [pg_ctl, "-D", str(data_dir / "data"), "-o", options, "-l", str(data_dir / "log"), "-w", "start"]
        ),
        **run,
    )
    try:
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres", autocommit=True) as conn:
            conn.execute("create database ecommerce")
        yield f"postgresql://postgres@127.0.0.1:{port}/ecommerce"
    finally:
        subprocess.run(
            _as_postgres_user([pg_ctl, "-D", str(data_dir / "data"), "-m", "fast", "-w", "stop"]), check=False
        )
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server over HTTP on a free port; boto3 reaches it with test credentials from the env."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.delenv("AWS_SESSION_TOKEN", raising=False)
        env.delenv("AWS_PROFILE", raising=False)
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        env.setenv("AWS_REGION", "us-east-1")
        env.setenv("S3_ENDPOINT_URL", endpoint)
        try:
            yield endpoint
        finally:
            server.stop()


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium, headless, driven by Playwright (no downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: run `make system-deps`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def chromium_page(chromium_browser):
    """A fresh page (own cookies and storage) in the shared headless Chromium."""
    context = chromium_browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
