"""Redshift: golden tests of the exact SQL and manifests it would be sent, and its transaction run on PostgreSQL.

No Redshift runs here. What Redshift alone would execute (COPY, the load-error views) is compared
with golden files; the statements it shares with PostgreSQL are executed on the real server below.
Regenerate the golden files with UPDATE_GOLDEN=1 after an intended change, and review the diff.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import uuid
from pathlib import Path

import psycopg
import pytest

from loader.errors import RedshiftCopyError, SettingsError
from loader.lake import open_lake
from loader.landing import land
from loader.loading import BatchLoadError, load_batches
from loader.manifest import Manifest, PartFile, TableBatch, redshift_manifest
from loader.settings import LoaderSettings, Target
from loader.warehouse.redshift import RedshiftWarehouse, explain_copy_failure
from loader.warehouse.sql import LoaderSql
from shop_contract import TABLES, TABLES_BY_NAME, Dialect
from tests.loader.redshift_fakes import RecordingConnection, render

GOLDEN = Path(__file__).parent / "golden"
LOAD_ID = "20261122T010203000000Z-0123abcd"
ROLE = "arn:aws:iam::123456789012:role/ecommerce-redshift-copy"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text)
    assert text == path.read_text(), f"{name} changed: review, then UPDATE_GOLDEN=1 to accept"


class S3Uris:
    """Only what Redshift's side needs of the lake: object URLs."""

    url = "s3://acme-lake/shop"

    def uri(self, key: str) -> str:
        return f"{self.url}/{key}"


def sample_manifest() -> Manifest:
    parts = tuple(
        PartFile(f"raw/customers/load_id={LOAD_ID}/part-{index:04d}.csv.gz", 1000 + index, f"{index:064x}", 50)
        for index in range(4)
    )
    return Manifest(
        LOAD_ID,
        "2026-11-22T01:02:03+00:00",
        "0123abcd" * 8,
        "gzip",
        (TableBatch("customers", 200, "customers.csv", "f" * 64, parts),),
    )


def redshift_settings(**changes: object) -> LoaderSettings:
    base = {
        "lake_url": "s3://acme-lake/shop",
        "warehouse_target": Target.REDSHIFT,
        "redshift_host": "ecommerce.123456789012.eu-west-1.redshift-serverless.amazonaws.com",
        "redshift_copy_role_arn": ROLE,
        "aws_region": "eu-west-1",
    }
    return LoaderSettings(**{**base, **changes})


def test_golden_ddl_creates_the_raw_schema_from_the_contract():
    sql = LoaderSql(Dialect.REDSHIFT)
    check_golden("redshift_ddl.sql", ";\n\n".join(sql.ddl()) + ";\n")
    assert "varchar(254)" in sql.create_raw_table(TABLES_BY_NAME["customers"])  # lengths from the contract


def test_golden_copy_manifest_names_every_part_as_mandatory():
    batch = sample_manifest().tables[0]
    text = redshift_manifest(batch, S3Uris().uri).decode()
    check_golden("redshift_customers.manifest", text)
    entries = json.loads(text)["entries"]
    assert [entry["mandatory"] for entry in entries] == [True] * 4
    assert [entry["meta"]["content_length"] for entry in entries] == [part.bytes for part in batch.parts]


def test_golden_load_session_copy_count_append_audit_in_one_transaction(caplog: pytest.LogCaptureFixture):
    connection = RecordingConnection([('SELECT count(*) FROM "stg_customers"', [(200,)]), ("SELECT count(*)", [(0,)])])
    warehouse = RedshiftWarehouse(redshift_settings(), connection)
    with caplog.at_level(logging.INFO):
        results = load_batches_from(warehouse, sample_manifest())
    assert [(r.table, r.status, r.rows_loaded) for r in results] == [("customers", "succeeded", 200)]
    check_golden("redshift_load_session.sql", render(connection.log))
    statements = [statement for statement, _ in connection.log]
    copy_at = next(i for i, s in enumerate(statements) if s.startswith("COPY"))
    commit_at = statements.index("COMMIT", copy_at)
    between = statements[copy_at:commit_at]
    assert any(s.startswith('INSERT INTO "raw"."customers"') for s in between)
    assert any(s.startswith('INSERT INTO "raw"."loader_audit"') for s in between)
    assert "IAM_ROLE" in caplog.text and ROLE in caplog.text


def load_batches_from(warehouse: RedshiftWarehouse, manifest: Manifest):
    class OneBatchLake(S3Uris):
        def list_keys(self, prefix: str) -> list[str]:
            return [f"manifests/{manifest.load_id}.json"]

        def get_bytes(self, key: str) -> bytes:
            return manifest.to_json()

    return load_batches(OneBatchLake(), warehouse)  # type: ignore[arg-type]


def test_golden_copy_with_keys_and_maxerror_never_logs_the_secret(caplog: pytest.LogCaptureFixture):
    settings = redshift_settings(
        redshift_copy_role_arn=None,
        redshift_copy_access_key_id="AKIAEXAMPLEKEY",
        redshift_copy_secret_access_key="very/secret+value",
        redshift_max_error=10,
        aws_region=None,
        redshift_host="cluster.abc.eu-west-1.redshift.amazonaws.com",
    )
    errors = [("s3://acme-lake/shop/raw/customers/part-0001.csv.gz", 7, "birth_date", "31/12/1990", "Invalid date")]
    connection = RecordingConnection(
        [
            ('SELECT count(*) FROM "stg_customers"', [(199,)]),
            ("SELECT trim(filename)", errors),
            ("SELECT count(*)", [(0,)]),
        ]
    )
    warehouse = RedshiftWarehouse(settings, connection)
    with caplog.at_level(logging.DEBUG):
        results = load_batches_from(warehouse, sample_manifest())
    assert [(r.rows_loaded, r.rows_rejected) for r in results] == [(199, 1)]
    copy = next(statement for statement, _ in connection.log if statement.startswith("COPY"))
    check_golden(
        "redshift_copy_access_keys.sql",
        copy.replace("very/secret+value", "<secret>").replace("AKIAEXAMPLEKEY", "<key id>") + "\n",
    )
    assert "REGION" not in copy and "MAXERROR 10" in copy
    assert "very/secret+value" not in caplog.text and "AKIAEXAMPLEKEY" not in caplog.text
    rejected = [p for s, p in connection.log if s.startswith('INSERT INTO "raw"."loader_rejected_rows"')]
    assert rejected == [(LOAD_ID, "customers", *errors[0])]


def test_a_failed_copy_names_table_file_line_column_and_reason():
    detail = [
        ("s3://acme-lake/shop/raw/customers/part-0002.csv.gz", 41, "created_at", None, "Invalid timestamp format")
    ]
    connection = RecordingConnection(
        [
            ("COPY", RuntimeError("Load into table 'stg_customers' failed. Check 'sys_load_error_detail'")),
            ("SELECT trim(file_name)", detail),
            ("SELECT count(*)", [(0,)]),
        ]
    )
    warehouse = RedshiftWarehouse(redshift_settings(), connection)
    with pytest.raises(BatchLoadError) as caught:
        load_batches_from(warehouse, sample_manifest())
    error = caught.value.cause
    assert isinstance(error, RedshiftCopyError)
    assert "customers" in str(error) and "part-0002.csv.gz" in str(error)
    assert "line 41" in str(error) and "created_at" in str(error) and "Invalid timestamp format" in str(error)
    statements = [statement for statement, _ in connection.log]
    assert not any(s.startswith('INSERT INTO "raw"."customers"') for s in statements)
    assert statements[statements.index(next(s for s in statements if s.startswith("COPY"))) + 1] == "ROLLBACK"
    assert any(s.startswith("SELECT trim(file_name)") and "sys_load_error_detail" in s for s in statements)
    failed = [p for s, p in connection.log if s.startswith('INSERT INTO "raw"."loader_audit"')]
    assert failed and failed[-1][6] == "failed"


def test_s3_access_denied_is_translated_into_the_missing_permission_or_trust():
    denied = explain_copy_failure("S3ServiceException:Access Denied,Status 403,Error AccessDenied", ROLE)
    assert "s3:GetObject" in denied and "s3:ListBucket" in denied and ROLE in denied
    trust = explain_copy_failure("User arn:aws:redshift:... is not authorized to assume IAM Role " + ROLE, ROLE)
    assert "redshift.amazonaws.com" in trust and "trust policy" in trust
    assert explain_copy_failure("Invalid digit, Value 'x', Pos 0", ROLE) is None
    connection = RecordingConnection(
        [
            ("COPY", RuntimeError("S3ServiceException:Access Denied,Status 403")),
            ("SELECT count(*)", [(0,)]),
            ("SELECT", []),
        ]
    )
    with pytest.raises(BatchLoadError, match="s3:GetObject"):
        load_batches_from(RedshiftWarehouse(redshift_settings(), connection), sample_manifest())


def test_redshift_settings_are_checked_before_anything_runs():
    with pytest.raises(SettingsError, match="s3://"):
        RedshiftWarehouse(redshift_settings(lake_url="lake"), RecordingConnection([]))
    with pytest.raises(SettingsError, match="not a role ARN"):
        RedshiftWarehouse(redshift_settings(redshift_copy_role_arn="arn:aws:iam::12:user/me"), RecordingConnection([]))
    with pytest.raises(SettingsError, match="REDSHIFT_COPY_ROLE_ARN"):
        RedshiftWarehouse(redshift_settings(redshift_copy_role_arn=None), RecordingConnection([]))


class RedshiftOnPostgres(RedshiftWarehouse):
    """Redshift's load transaction on a real PostgreSQL: only COPY-from-S3, which PostgreSQL lacks, is replaced
    by what it does (read the manifest's gzip CSVs, skip each header) through COPY FROM STDIN."""

    def copy_into_staging(self, manifest, batch, table, parts):
        columns = ", ".join(f'"{name}"' for name in table.column_names)
        with self.connection.cursor() as cursor:
            for part in batch.parts:
                data = gzip.decompress(parts.lake.get_bytes(part.key))
                with cursor.copy(f'COPY "stg_{table.name}" ({columns}) FROM STDIN (FORMAT csv, HEADER true)') as copy:
                    copy.write(data)
        return []


@pytest.mark.slow
def test_redshift_transaction_logic_runs_on_postgresql(postgres_dsn: str, s3_endpoint: str, source_dir: Path):
    schema = "raw_redshift_logic"
    with psycopg.connect(postgres_dsn, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    settings = redshift_settings(
        lake_url=f"s3://rs-{uuid.uuid4().hex[:8]}/shop",
        s3_endpoint_url=s3_endpoint,
        aws_region="us-east-1",
        lake_create_bucket=True,
        raw_schema=schema,
    )
    lake = open_lake(settings)
    manifest = land(source_dir, lake, settings).manifest

    def run() -> list:
        warehouse = RedshiftOnPostgres(settings, psycopg.connect(postgres_dsn))
        try:
            return load_batches(lake, warehouse)
        finally:
            warehouse.close()

    assert [(r.table, r.status, r.rows_loaded) for r in run()] == [
        (t.table, "succeeded", t.rows) for t in manifest.tables
    ]
    assert {r.status for r in run()} == {"skipped"}
    with psycopg.connect(postgres_dsn) as connection:
        for table in TABLES:
            count = connection.execute(f'SELECT count(*), min("_load_id") FROM "{schema}"."{table.name}"').fetchone()
            assert count == (manifest.table(table.name).rows, manifest.load_id)
        types = dict(
            connection.execute(
                "SELECT column_name, character_maximum_length FROM information_schema.columns "
                "WHERE table_schema = %s AND table_name = 'customers'",
                [schema],
            ).fetchall()
        )
        assert types["email"] == 254 and types["country_code"] == 2  # the Redshift DDL itself ran
        audit = connection.execute(f'SELECT count(*), sum(rows_loaded) FROM "{schema}".loader_audit').fetchone()
        assert audit == (len(TABLES), manifest.rows)
