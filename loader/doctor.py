"""Pre-flight checks, one line each, every failure with its fix.

They answer the questions a first load on AWS usually fails on: whose credentials are these, does
the bucket exist in the region I think, may I write and read it, does Redshift answer at all (the
security group and public access), is the COPY role ARN even well formed, and why did the last
COPY fail.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError

from loader.errors import LoaderError
from loader.lake.s3 import aws_session, error_code, s3_client, split_s3_url
from loader.settings import LoaderSettings, Target
from loader.warehouse import open_warehouse
from loader.warehouse.redshift import ROLE_ARN, explain_copy_failure

PROBE_PREFIX = "_doctor"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def _uses_s3(settings: LoaderSettings) -> bool:
    return settings.lake_url.startswith("s3://")


def _credential_source(settings: LoaderSettings, method: str) -> str:
    if method != "explicit":
        return method  # botocore's own name: env, shared-credentials-file, sso, iam-role, container-role, ...
    return "environment" if os.environ.get("AWS_ACCESS_KEY_ID") else ".env (AWS_ACCESS_KEY_ID)"


def check_credentials(settings: LoaderSettings) -> Check:
    try:
        credentials = aws_session(settings).get_credentials()
    except BotoCoreError as error:  # e.g. a profile that does not exist
        return Check("aws credentials", False, str(error), "fix AWS_PROFILE or ~/.aws/config")
    if credentials is None:
        return Check(
            "aws credentials",
            False,
            "none found in the environment, ~/.aws, or an instance/task role",
            "set AWS_PROFILE (after `aws configure` or `aws sso login`), or run where a role is attached; "
            "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY only for MinIO or tests",
        )
    key = credentials.access_key or ""
    source = _credential_source(settings, credentials.method)
    return Check("aws credentials", True, f"found via {source} (key id ...{key[-4:]})")


def check_bucket(settings: LoaderSettings) -> Check:
    bucket, _ = split_s3_url(settings.lake_url)
    client = s3_client(settings)
    try:
        client.head_bucket(Bucket=bucket)
        region = client.get_bucket_location(Bucket=bucket).get("LocationConstraint") or "us-east-1"
    except ClientError as error:
        code = error_code(error)
        if code in {"404", "NoSuchBucket", "NotFound"}:
            return Check("bucket", False, f"{bucket} does not exist", "create it, or land once with --create-bucket")
        return Check(
            "bucket",
            False,
            f"{bucket}: {code or error}",
            f"allow s3:ListBucket and s3:GetBucketLocation on arn:aws:s3:::{bucket} for these credentials",
        )
    except BotoCoreError as error:
        return Check("bucket", False, f"{bucket}: {error}", "check S3_ENDPOINT_URL and the network path to S3")
    wanted = settings.aws_region
    if wanted and wanted != region:
        return Check(
            "bucket",
            False,
            f"{bucket} is in {region}, AWS_REGION says {wanted}",
            f"set AWS_REGION={region} (Redshift's COPY then gets REGION '{region}')",
        )
    return Check("bucket", True, f"{bucket} exists in {region}")


def check_probe(settings: LoaderSettings) -> Check:
    bucket, prefix = split_s3_url(settings.lake_url)
    key = "/".join(part for part in (prefix, PROBE_PREFIX, f"probe-{uuid.uuid4().hex}.txt") if part)
    body = b"loader doctor probe"
    client = s3_client(settings)
    try:
        client.put_object(Bucket=bucket, Key=key, Body=body)
        read = client.get_object(Bucket=bucket, Key=key)["Body"].read()
        client.delete_object(Bucket=bucket, Key=key)
    except (ClientError, BotoCoreError) as error:
        return Check(
            "write and read",
            False,
            f"s3://{bucket}/{key}: {error}",
            f"allow s3:PutObject, s3:GetObject and s3:DeleteObject on arn:aws:s3:::{bucket}/{prefix or ''}*",
        )
    if read != body:
        return Check("write and read", False, "the probe came back different", "check S3_ENDPOINT_URL")
    return Check("write and read", True, f"probe object written, read back and removed under s3://{bucket}/{prefix}")


def check_redshift_endpoint(settings: LoaderSettings) -> Check:
    host, port = settings.redshift_host or "", settings.redshift_port
    try:
        with socket.create_connection((host, port), timeout=settings.redshift_connect_timeout):
            pass
    except OSError as error:
        return Check(
            "redshift endpoint",
            False,
            f"{host}:{port} did not answer within {settings.redshift_connect_timeout:g} s ({error})",
            f"allow inbound TCP {port} from this machine in the security group of the workgroup/cluster, and set it "
            "publicly accessible (Serverless: `aws redshift-serverless update-workgroup --workgroup-name <name> "
            "--publicly-accessible`), or run the loader inside its VPC",
        )
    return Check("redshift endpoint", True, f"{host}:{port} accepts connections")


def check_copy_role(settings: LoaderSettings) -> Check:
    arn = settings.redshift_copy_role_arn
    if not arn:
        if settings.redshift_copy_access_key_id:
            return Check("copy role", True, "no role: COPY uses the configured access keys (fallback)")
        return Check(
            "copy role",
            False,
            "REDSHIFT_COPY_ROLE_ARN is not set",
            "create a role trusted by redshift.amazonaws.com that can read the lake, associate it with the "
            "workgroup/cluster, and set REDSHIFT_COPY_ROLE_ARN",
        )
    if not ROLE_ARN.match(arn):
        return Check(
            "copy role", False, f"{arn!r} is not a role ARN", "use the form arn:aws:iam::<12-digit account>:role/<name>"
        )
    return Check("copy role", True, f"{arn} is well formed")


def check_last_load(settings: LoaderSettings) -> Check:
    """The warehouse answers, and what its audit says about the latest load (failures explained)."""
    try:
        warehouse = open_warehouse(settings)
        try:
            warehouse.ensure_schema()
            rows = warehouse.audit_rows()
        finally:
            warehouse.close()
    except LoaderError as error:
        return Check("warehouse", False, str(error), "see the message; for Redshift first make the endpoint answer")
    if not rows:
        return Check("warehouse", True, f"{settings.warehouse_target} reachable, nothing loaded yet")
    latest = max(rows, key=lambda row: row["finished_at"] or row["started_at"])
    if latest["status"] != "failed":
        return Check("warehouse", True, f"{settings.warehouse_target} reachable, last load {latest['load_id']} ok")
    error = latest["error"] or ""
    fix = explain_copy_failure(error, settings.redshift_copy_role_arn) or "fix what the error says, then load again"
    return Check("last load", False, f"{latest['load_id']} {latest['table_name']} failed: {error}", fix)


def run_checks(settings: LoaderSettings) -> Iterator[Check]:
    """The checks that apply to these settings, in the order a problem would surface."""
    if _uses_s3(settings) or settings.warehouse_target is Target.REDSHIFT:
        credentials = check_credentials(settings)
        yield credentials
        if _uses_s3(settings) and credentials.ok:
            bucket = check_bucket(settings)
            yield bucket
            if bucket.ok:
                yield check_probe(settings)
    else:
        yield Check("lake", True, f"local folder {settings.lake_url} (no AWS needed)")
    if settings.warehouse_target is Target.REDSHIFT or settings.redshift_host:
        yield check_copy_role(settings)
        if not settings.redshift_host:
            yield Check("redshift endpoint", False, "REDSHIFT_HOST is not set", "set REDSHIFT_HOST to the endpoint")
            return
        endpoint = check_redshift_endpoint(settings)
        yield endpoint
        if not endpoint.ok:
            return
    yield check_last_load(settings)
