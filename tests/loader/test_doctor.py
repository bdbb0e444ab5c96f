"""`loader doctor` against moto's S3 server, a closed port and a warehouse that recorded a failed COPY."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import boto3
import pytest

from loader.doctor import run_checks
from loader.settings import LoaderSettings, Target
from loader.warehouse.base import TableLoad, utc_now
from loader.warehouse.duckdb_target import DuckDBWarehouse
from tests.loader.test_cli import loader

pytestmark = pytest.mark.slow


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # released on exit: nobody listens there


def checks(settings: LoaderSettings) -> dict[str, tuple[bool, str, str]]:
    return {check.name: (check.ok, check.detail, check.fix) for check in run_checks(settings)}


@pytest.fixture
def bucket_settings(s3_endpoint: str, settings: LoaderSettings) -> LoaderSettings:
    bucket = f"doc-{uuid.uuid4().hex[:8]}"
    boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1").create_bucket(Bucket=bucket)
    return settings.model_copy(
        update={"lake_url": f"s3://{bucket}/shop", "s3_endpoint_url": s3_endpoint, "aws_region": "us-east-1"}
    )


def test_a_healthy_s3_lake_passes_every_check(bucket_settings: LoaderSettings):
    found = checks(bucket_settings)
    ok, detail, _ = found["aws credentials"]
    assert ok and detail.startswith("found via env") and detail.endswith("(key id ...ting)")
    assert found["bucket"][0] and "exists in us-east-1" in found["bucket"][1]
    assert found["write and read"][0]
    assert found["warehouse"][0]
    s3 = boto3.client("s3", endpoint_url=bucket_settings.s3_endpoint_url, region_name="us-east-1")
    bucket = bucket_settings.lake_url.split("/")[2]
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)  # the probe cleaned up after itself


def test_missing_bucket_and_wrong_region_say_what_to_do(bucket_settings: LoaderSettings, s3_endpoint: str):
    missing = checks(bucket_settings.model_copy(update={"lake_url": "s3://no-such-bucket-here/x"}))
    assert missing["bucket"][0] is False and "--create-bucket" in missing["bucket"][2]
    assert "write and read" not in missing
    bucket = f"eu-{uuid.uuid4().hex[:8]}"
    boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-west-1").create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    elsewhere = checks(bucket_settings.model_copy(update={"lake_url": f"s3://{bucket}/x"}))
    assert elsewhere["bucket"] == (
        False,
        f"{bucket} is in eu-west-1, AWS_REGION says us-east-1",
        "set AWS_REGION=eu-west-1 (Redshift's COPY then gets REGION 'eu-west-1')",
    )


def test_no_credentials_at_all(bucket_settings: LoaderSettings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    found = checks(bucket_settings.model_copy(update={"aws_access_key_id": None, "aws_secret_access_key": None}))
    assert found["aws credentials"][0] is False and "AWS_PROFILE" in found["aws credentials"][2]
    assert "bucket" not in found


def test_a_closed_redshift_port_and_a_bad_role_arn(bucket_settings: LoaderSettings):
    settings = bucket_settings.model_copy(
        update={
            "warehouse_target": Target.REDSHIFT,
            "redshift_host": "127.0.0.1",
            "redshift_port": closed_port(),
            "redshift_connect_timeout": 1.0,
            "redshift_copy_role_arn": "arn:aws:iam::123:role/x",
        }
    )
    found = checks(settings)
    ok, detail, fix = found["redshift endpoint"]
    assert not ok and "did not answer" in detail
    assert ("security group" in fix and "5439" not in fix) or str(settings.redshift_port) in fix
    assert "publicly-accessible" in fix
    assert found["copy role"][0] is False and "12-digit" in found["copy role"][2]
    assert "warehouse" not in found  # no point connecting when the port is closed
    good = checks(settings.model_copy(update={"redshift_copy_role_arn": "arn:aws:iam::123456789012:role/copy"}))
    assert good["copy role"][0]


def test_the_last_failed_copy_is_explained(settings: LoaderSettings):
    warehouse = DuckDBWarehouse(settings)
    warehouse.ensure_schema()
    warehouse.record(
        TableLoad(
            "20261122T000000000000Z-00000000",
            "orders",
            "failed",
            2,
            10,
            started_at=utc_now(),
            finished_at=utc_now(),
            error="COPY into orders failed: S3ServiceException:Access Denied,Status 403",
        )
    )
    warehouse.close()
    found = checks(settings)
    ok, detail, fix = found["last load"]
    assert not ok and "Access Denied" in detail and "s3:GetObject" in fix


def test_doctor_cli_exit_codes(settings: LoaderSettings, tmp_path: Path):
    healthy = loader("doctor", cwd=tmp_path)
    assert healthy.returncode == 0, healthy.stderr
    assert "ok   lake: local folder lake" in healthy.stderr
    broken = loader(
        "doctor",
        "--target",
        "redshift",
        cwd=tmp_path,
        env={
            "REDSHIFT_HOST": "127.0.0.1",
            "REDSHIFT_PORT": str(closed_port()),
            "REDSHIFT_CONNECT_TIMEOUT": "1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
        },
    )
    assert broken.returncode == 1
    assert "FAIL redshift endpoint" in broken.stderr and "fix:" in broken.stderr
    assert "FAIL copy role" in broken.stderr


def test_keys_in_dotenv_are_used_and_reported_as_such(
    bucket_settings: LoaderSettings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    (tmp_path / ".env").write_text("AWS_ACCESS_KEY_ID=dotenvkey1234\nAWS_SECRET_ACCESS_KEY=dotenvsecret\n")
    from loader.settings import get_settings

    settings = get_settings(
        lake_url=bucket_settings.lake_url, s3_endpoint_url=bucket_settings.s3_endpoint_url, aws_region="us-east-1"
    )
    found = checks(settings)
    assert found["aws credentials"][:2] == (True, "found via .env (AWS_ACCESS_KEY_ID) (key id ...1234)")
    assert found["write and read"][0]
    assert "dotenvsecret" not in repr(found)
