"""A lake under an S3 prefix, through boto3 with the default credential chain.

botocore's `standard` retry mode retries throttling (503 SlowDown) and 5xx answers with exponential
backoff; uploads above the transfer threshold go as multipart uploads. The bucket is created only
when asked, and then private (all public access blocked) and encrypted by default (SSE-S3).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from loader.errors import BucketMissingError, LakeError, LakeObjectExistsError, SettingsError
from loader.settings import LoaderSettings

RETRIES = {"mode": "standard", "total_max_attempts": 8}
TRANSFER = TransferConfig(multipart_threshold=16 * 2**20, multipart_chunksize=16 * 2**20)
MISSING = {"404", "NoSuchKey", "NotFound", "NoSuchBucket"}


def split_s3_url(url: str) -> tuple[str, str]:
    """`s3://bucket/some/prefix` -> ("bucket", "some/prefix")."""
    if not url.startswith("s3://") or not url[5:].split("/", 1)[0]:
        raise SettingsError(f"{url!r} is not an S3 URL: use s3://bucket/prefix.")
    bucket, _, prefix = url[5:].partition("/")
    return bucket, prefix.strip("/")


def aws_session(settings: LoaderSettings) -> boto3.session.Session:
    """A session on the default chain, pinned to a profile or keys only when settings (or `.env`) name them."""
    keys = {}
    if settings.aws_access_key_id and settings.aws_secret_access_key:
        keys = {
            "aws_access_key_id": settings.aws_access_key_id.get_secret_value(),
            "aws_secret_access_key": settings.aws_secret_access_key.get_secret_value(),
        }
    return boto3.session.Session(profile_name=settings.aws_profile, region_name=settings.aws_region, **keys)


def s3_client(settings: LoaderSettings):
    """An S3 client with retries on throttling and 5xx; path-style addressing for custom endpoints (MinIO, moto)."""
    config = Config(retries=RETRIES, s3={"addressing_style": "path"} if settings.s3_endpoint_url else {})
    return aws_session(settings).client("s3", endpoint_url=settings.s3_endpoint_url, config=config)


def error_code(error: ClientError) -> str:
    """S3's error code ("404", "NoSuchBucket", "AccessDenied", ...) of a failed call."""
    return str(error.response.get("Error", {}).get("Code", ""))


class S3Lake:
    def __init__(self, settings: LoaderSettings) -> None:
        self.url = settings.lake_url.rstrip("/")
        self.bucket, self.prefix = split_s3_url(self.url)
        self.client = s3_client(settings)
        self._ensure_bucket(settings)

    def _ensure_bucket(self, settings: LoaderSettings) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
            return
        except ClientError as error:
            if error_code(error) not in MISSING:
                raise LakeError(
                    f"s3://{self.bucket}: {error}. Check the credentials (`python -m loader doctor`) and that they "
                    f"may s3:ListBucket on arn:aws:s3:::{self.bucket}."
                ) from error
        except BotoCoreError as error:
            raise LakeError(
                f"s3://{self.bucket}: {error}. Check S3_ENDPOINT_URL and the network path to S3."
            ) from error
        if not settings.lake_create_bucket:
            raise BucketMissingError(
                f"Bucket {self.bucket} does not exist: create it (infrastructure/), or set LAKE_CREATE_BUCKET=true "
                "(or pass --create-bucket) to have the loader create it private and encrypted."
            )
        region = self.client.meta.region_name
        location = (
            {} if region in (None, "us-east-1") else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        )
        self.client.create_bucket(Bucket=self.bucket, **location)
        self.client.put_public_access_block(
            Bucket=self.bucket,
            PublicAccessBlockConfiguration=dict.fromkeys(
                ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
            ),
        )
        self.client.put_bucket_encryption(
            Bucket=self.bucket,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
            },
        )

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._key(key)}"

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as error:
            if error_code(error) in MISSING:
                return False
            raise LakeError(f"{self.uri(key)}: {error}") from error
        return True

    def list_keys(self, prefix: str) -> list[str]:
        strip = len(self._key(""))
        keys = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self._key(prefix)):
            keys += [item["Key"][strip:] for item in page.get("Contents", [])]
        return sorted(keys)

    def get_bytes(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()
        except ClientError as error:
            raise LakeError(f"Cannot read {self.uri(key)}: {error}") from error

    def _refuse_existing(self, key: str) -> None:
        if self.exists(key):
            raise LakeObjectExistsError(
                f"{self.uri(key)} exists: the lake is immutable, a new batch gets a new load id."
            )

    def put_bytes(self, key: str, data: bytes) -> None:
        self._refuse_existing(key)
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)

    def put_file(self, key: str, path: Path) -> None:
        self._refuse_existing(key)
        self.client.upload_file(str(path), self.bucket, self._key(key), Config=TRANSFER)

    @contextmanager
    def local_copy(self, key: str, scratch: Path) -> Iterator[Path]:
        """Stream the object to a temporary file in `scratch` (DuckDB's httpfs cannot be installed offline)."""
        with tempfile.TemporaryDirectory(dir=scratch) as folder:
            path = Path(folder) / Path(key).name
            try:
                self.client.download_file(self.bucket, self._key(key), str(path), Config=TRANSFER)
            except ClientError as error:
                raise LakeError(f"Cannot read {self.uri(key)}: {error}") from error
            yield path
