"""The command line as a user runs it: a real `python -m loader` process, its output and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.loader.test_load_duckdb import set_field

ROOT = Path(__file__).resolve().parents[2]


def loader(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "loader", *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120
    )


def test_land_load_status_and_exit_codes(source_dir: Path, tmp_path: Path):
    landed = loader("land", "--source", str(source_dir), cwd=tmp_path)
    assert landed.returncode == 0, landed.stderr
    load_id = landed.stdout.strip()
    assert (tmp_path / "lake" / "manifests" / f"{load_id}.json").exists()
    assert "5 files, 110 rows" in landed.stderr

    loaded = loader("load", cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded 5 tables of 1 batches: 5 files, 110 rows, 0 rejected" in loaded.stderr
    with duckdb.connect(str(tmp_path / "warehouse" / "ecommerce.duckdb"), read_only=True) as connection:
        assert connection.execute("SELECT count(*) FROM raw.reviews").fetchone() == (24,)

    status = loader("status", cwd=tmp_path)
    assert status.returncode == 0 and "1 batches landed, 1 fully loaded, 0 pending" in status.stderr

    assert loader("load", "--target", "oracle", cwd=tmp_path).returncode == 2
    assert loader("load", "--load-id", "19990101T000000000000Z-00000000", cwd=tmp_path).returncode == 2
    assert loader("land", cwd=tmp_path).returncode == 2  # --source is required


def test_settings_come_from_dotenv_and_flags_override_them(source_dir: Path, tmp_path: Path):
    (tmp_path / ".env").write_text("LAKE_URL=from_env_lake\nDUCKDB_PATH=dw/from_env.duckdb\n")
    assert loader("run", "--source", str(source_dir), cwd=tmp_path).returncode == 0
    assert (tmp_path / "from_env_lake" / "manifests").is_dir() and (tmp_path / "dw" / "from_env.duckdb").exists()
    assert loader("land", "--source", str(source_dir), "--lake", "flag_lake", cwd=tmp_path).returncode == 0
    assert (tmp_path / "flag_lake" / "manifests").is_dir()


def test_a_refused_file_and_a_failed_load_exit_1_with_the_reason(source_dir: Path, tmp_path: Path):
    (source_dir / "customers.csv").write_bytes(b"")
    refused = loader("land", "--source", str(source_dir), cwd=tmp_path)
    assert refused.returncode == 1 and "customers.csv" in refused.stderr and "empty" in refused.stderr
    (source_dir / "customers.csv").unlink()
    for line in range(2, 12):
        set_field(source_dir / "orders.csv", line, "ordered_at", "yesterday")
    failed = loader("run", "--source", str(source_dir), cwd=tmp_path)
    assert failed.returncode == 1
    assert "orders: 10 of 22 rows" in failed.stderr and "LOADER_MAX_REJECTED_FRACTION" in failed.stderr


def test_empty_values_as_in_env_example_mean_defaults(tmp_path: Path, monkeypatch):
    from loader.lake.s3 import aws_session
    from loader.settings import get_settings

    names = ("LOADER_MAX_REJECTED_ROWS", "REDSHIFT_SLICES", "REDSHIFT_PORT", "AWS_ACCESS_KEY_ID", "S3_ENDPOINT_URL")
    (tmp_path / ".env").write_text("".join(f"{name}=\n" for name in names))
    for name in names:
        monkeypatch.delenv(name, raising=False)
    settings = get_settings()
    assert (settings.loader_max_rejected_rows, settings.redshift_slices, settings.redshift_port) == (None, None, 5439)
    assert settings.aws_access_key_id is None and settings.s3_endpoint_url is None
    assert (
        aws_session(settings).get_credentials() is None or aws_session(settings).get_credentials().method != "explicit"
    )
