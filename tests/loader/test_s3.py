"""An S3 lake on moto's server over HTTP, spoken to by boto3 as it would speak to AWS."""

from __future__ import annotations

import gzip
import os
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import boto3
import pytest
from boto3.s3.transfer import TransferConfig

from loader.api import land_result, load_results
from loader.errors import BucketMissingError, LakeObjectExistsError
from loader.lake import open_lake
from loader.lake import s3 as s3_lake
from loader.settings import LoaderSettings
from shop_contract import TABLES
from tests.loader.conftest import warehouse_snapshot

pytestmark = pytest.mark.slow


@pytest.fixture
def s3_settings(s3_endpoint: str, settings: LoaderSettings) -> LoaderSettings:
    bucket = f"lake-{uuid.uuid4().hex[:10]}"
    return settings.model_copy(
        update={
            "lake_url": f"s3://{bucket}/shop",
            "s3_endpoint_url": s3_endpoint,
            "aws_region": "us-east-1",
            "lake_create_bucket": True,
        }
    )


def client(settings: LoaderSettings):
    return boto3.client("s3", endpoint_url=settings.s3_endpoint_url, region_name="us-east-1")


def test_a_missing_bucket_is_created_only_when_asked_and_then_private_and_encrypted(s3_settings: LoaderSettings):
    with pytest.raises(BucketMissingError, match="LAKE_CREATE_BUCKET"):
        open_lake(s3_settings.model_copy(update={"lake_create_bucket": False}))
    lake = open_lake(s3_settings)
    s3 = client(s3_settings)
    block = s3.get_public_access_block(Bucket=lake.bucket)["PublicAccessBlockConfiguration"]
    assert block == dict.fromkeys(
        ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
    )
    rules = s3.get_bucket_encryption(Bucket=lake.bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert lake.client.meta.config.retries == {"mode": "standard", "total_max_attempts": 8}


class FlakyS3(BaseHTTPRequestHandler):
    """Answers `503 SlowDown` (S3's throttling) to the first two requests, then 200."""

    seen: list[str] = []  # noqa: RUF012 - shared by the handler instances of one test

    def do_HEAD(self) -> None:
        FlakyS3.seen.append(self.path)
        self.send_response(503 if len(FlakyS3.seen) <= 2 else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_throttling_and_5xx_answers_are_retried_with_backoff(settings: LoaderSettings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    server = ThreadingHTTPServer(("127.0.0.1", 0), FlakyS3)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}"
        lake = open_lake(settings.model_copy(update={"lake_url": "s3://flaky/x", "s3_endpoint_url": endpoint}))
        assert lake.bucket == "flaky"
        assert FlakyS3.seen == ["/flaky", "/flaky", "/flaky"]  # two refusals, then the answer
    finally:
        server.shutdown()
        server.server_close()


def test_land_to_s3_then_load_duckdb_gives_the_same_warehouse_as_a_local_lake(
    source_dir: Path, s3_settings: LoaderSettings, tmp_path: Path
):
    landed = land_result(source_dir, s3_settings)
    s3 = client(s3_settings)
    bucket = s3_settings.lake_url.split("/")[2]
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert f"shop/manifests/{landed.load_id}.json" in keys
    for table in TABLES:
        key = f"shop/raw/{table.name}/load_id={landed.load_id}/part-0000.csv.gz"
        assert key in keys
        header = gzip.decompress(s3.get_object(Bucket=bucket, Key=key)["Body"].read()).split(b"\n")[0]
        assert header.decode() == ",".join(table.column_names)
    redshift = s3.get_object(Bucket=bucket, Key=f"shop/manifests/{landed.load_id}/redshift/orders.manifest")
    assert (
        f"s3://{bucket}/shop/raw/orders/load_id={landed.load_id}/part-0000.csv.gz" in redshift["Body"].read().decode()
    )
    assert land_result(source_dir, s3_settings).load_id == landed.load_id  # same content: not landed twice
    assert len(s3.list_objects_v2(Bucket=bucket)["Contents"]) == len(keys)

    results = load_results(s3_settings)
    assert sum(r.rows_loaded for r in results) == landed.manifest.rows
    local = s3_settings.model_copy(
        update={"lake_url": str(tmp_path / "local-lake"), "duckdb_path": tmp_path / "local.duckdb"}
    )
    land_result(source_dir, local)
    load_results(local)
    from_s3, from_local = warehouse_snapshot(s3_settings.duckdb_path), warehouse_snapshot(local.duckdb_path)
    strip = lambda snapshot: {t: [row[:-1] for row in rows] for t, rows in snapshot.items() if t != "loader_audit"}  # noqa: E731
    assert strip(from_s3) == strip(from_local)  # the load ids differ (landing time), nothing else


def test_big_files_go_up_as_multipart_uploads_and_objects_are_never_replaced(
    s3_settings: LoaderSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    lake = open_lake(s3_settings)
    monkeypatch.setattr(
        s3_lake, "TRANSFER", TransferConfig(multipart_threshold=5 * 2**20, multipart_chunksize=5 * 2**20)
    )
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(11 * 2**20))
    lake.put_file("raw/big/part-0000.bin", big)
    head = client(s3_settings).head_object(Bucket=lake.bucket, Key="shop/raw/big/part-0000.bin")
    assert head["ETag"].strip('"').endswith("-3") and head["ContentLength"] == 11 * 2**20
    with pytest.raises(LakeObjectExistsError):
        lake.put_file("raw/big/part-0000.bin", big)
    with tempfile_dir(tmp_path) as scratch, lake.local_copy("raw/big/part-0000.bin", scratch) as copy:
        assert copy.read_bytes() == big.read_bytes()


def tempfile_dir(tmp_path: Path):
    from contextlib import contextmanager

    @contextmanager
    def folder():
        path = tmp_path / "scratch"
        path.mkdir()
        yield path

    return folder()
