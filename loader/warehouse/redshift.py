"""The Redshift warehouse: COPY from the batch's manifest into a temporary table, then the shared transaction.

No Redshift runs where this project is tested: the statements below are golden-tested as text, and
the transaction around them runs on PostgreSQL (see docs/loader.md, "What was executed here").
COPY cannot quarantine rows: with MAXERROR 0 (the default) any bad row fails the table; above 0 the
skipped rows are read back from the load-error view into `loader_rejected_rows`.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from loader.errors import RedshiftCopyError, SettingsError, WarehouseUnreachableError
from loader.lake import Lake
from loader.manifest import Manifest, TableBatch, redshift_manifest_key
from loader.settings import LoaderSettings
from loader.warehouse.base import RejectedRow
from loader.warehouse.duckdb_csv import literal
from loader.warehouse.parts import LandedParts
from loader.warehouse.sql import quote, staging_table
from loader.warehouse.transactional import TransactionalWarehouse
from shop_contract import REDSHIFT_DATE_FORMAT, REDSHIFT_TIME_FORMAT, Dialect, Table

log = logging.getLogger(__name__)

ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
SECRET_MASK = "****"

# One row per rejected line of the session's last COPY that had errors: file, line, column, raw value, reason.
SERVERLESS_LOAD_ERRORS = (
    "SELECT trim(file_name), line_number, trim(column_name), NULL, trim(error_message) FROM sys_load_error_detail "
    "WHERE query_id = (SELECT max(query_id) FROM sys_load_error_detail WHERE session_id = pg_backend_pid()) "
    "ORDER BY 1, 2"
)
PROVISIONED_LOAD_ERRORS = (
    "SELECT trim(filename), line_number, trim(colname), trim(raw_field_value), trim(err_reason) "
    "FROM stl_load_errors WHERE query = pg_last_copy_id() ORDER BY 1, 2"
)


def explain_copy_failure(error: str, role_arn: str | None) -> str | None:
    """What to change when COPY failed on permissions; None for errors in the data itself."""
    role = role_arn or "the COPY role"
    if "not authorized to assume" in error or "AssumeRole" in error:
        return (
            f"{role} cannot be assumed by Redshift: its trust policy must allow sts:AssumeRole to "
            "redshift.amazonaws.com (provisioned) and redshift-serverless.amazonaws.com (Serverless), and the role "
            "must be associated with the cluster or namespace."
        )
    if "Access Denied" in error or "AccessDenied" in error:
        return (
            f"{role} may not read the lake: allow s3:GetObject on the landing prefix (arn:aws:s3:::<bucket>/<prefix>/*) "
            "and s3:ListBucket on the bucket (arn:aws:s3:::<bucket>) in its policy, and make sure no bucket policy "
            "or KMS key policy denies it."
        )
    return None


def check_settings(settings: LoaderSettings) -> None:
    """Refuse, before anything runs, what COPY could never work with."""
    if not settings.lake_url.startswith("s3://"):
        raise SettingsError(
            f"Redshift loads from S3: set LAKE_URL to s3://bucket/prefix (it is {settings.lake_url!r})."
        )
    arn = settings.redshift_copy_role_arn
    if arn and not ROLE_ARN.match(arn):
        raise SettingsError(
            f"REDSHIFT_COPY_ROLE_ARN {arn!r} is not a role ARN: use arn:aws:iam::<12-digit account>:role/<name>."
        )
    if not arn and not (settings.redshift_copy_access_key_id and settings.redshift_copy_secret_access_key):
        raise SettingsError(
            "Set REDSHIFT_COPY_ROLE_ARN to the role Redshift assumes to read the lake (or, as a fallback, "
            "REDSHIFT_COPY_ACCESS_KEY_ID and REDSHIFT_COPY_SECRET_ACCESS_KEY)."
        )


def connect(settings: LoaderSettings) -> Any:
    """A redshift_connector connection, with a password or IAM (Serverless workgroup or provisioned cluster)."""
    import redshift_connector

    if not settings.redshift_host:
        raise SettingsError("REDSHIFT_HOST is not set: give the workgroup's or cluster's endpoint.")
    options: dict[str, Any] = {
        "host": settings.redshift_host,
        "port": settings.redshift_port,
        "database": settings.redshift_database,
        "timeout": int(settings.redshift_connect_timeout),
    }
    if settings.redshift_iam_auth:
        options |= {"iam": True, "region": settings.aws_region, "db_user": settings.redshift_user}
        if settings.redshift_workgroup:
            options |= {"is_serverless": True, "serverless_work_group": settings.redshift_workgroup}
        else:
            options["cluster_identifier"] = settings.redshift_cluster_id
    else:
        password = settings.redshift_password.get_secret_value() if settings.redshift_password else None
        options |= {"user": settings.redshift_user, "password": password}
    try:
        return redshift_connector.connect(**options)
    except (redshift_connector.Error, OSError) as error:
        raise WarehouseUnreachableError(
            f"Redshift at {settings.redshift_host}:{settings.redshift_port} did not accept a connection ({error}); "
            "`python -m loader doctor` checks the endpoint, the security group and public access."
        ) from error


class RedshiftWarehouse(TransactionalWarehouse):
    dialect = Dialect.REDSHIFT

    def __init__(self, settings: LoaderSettings, connection: Any = None) -> None:
        check_settings(settings)
        super().__init__(settings, connection if connection is not None else connect(settings))

    def _credentials(self, masked: bool) -> str:
        if self.settings.redshift_copy_role_arn:
            return f"IAM_ROLE {literal(self.settings.redshift_copy_role_arn)}"
        key_id = self.settings.redshift_copy_access_key_id
        secret = self.settings.redshift_copy_secret_access_key
        assert key_id is not None and secret is not None  # check_settings guarantees a role or both keys
        shown = (SECRET_MASK, SECRET_MASK) if masked else (key_id.get_secret_value(), secret.get_secret_value())
        return f"ACCESS_KEY_ID {literal(shown[0])} SECRET_ACCESS_KEY {literal(shown[1])}"

    def copy_statement(self, manifest: Manifest, table: Table, lake: Lake, masked: bool = False) -> str:
        columns = ", ".join(quote(name) for name in table.column_names)
        options = [
            f"COPY {quote(staging_table(table))} ({columns})",
            f"FROM {literal(lake.uri(redshift_manifest_key(manifest.load_id, table.name)))}",
            self._credentials(masked),
            "MANIFEST",
            "FORMAT AS CSV",
            "IGNOREHEADER 1",
            manifest.compression.upper(),
            f"DATEFORMAT {literal(REDSHIFT_DATE_FORMAT)}",
            f"TIMEFORMAT {literal(REDSHIFT_TIME_FORMAT)}",
            "EMPTYASNULL",
        ]
        if self.settings.aws_region:
            options.append(f"REGION {literal(self.settings.aws_region)}")
        options += ["COMPUPDATE OFF", "STATUPDATE OFF", f"MAXERROR {self.settings.redshift_max_error}"]
        return "\n".join(options)

    def load_errors(self) -> list[RejectedRow]:
        query = SERVERLESS_LOAD_ERRORS if self.settings.redshift_serverless else PROVISIONED_LOAD_ERRORS
        return [RejectedRow(*row) for row in self._fetch(query)]

    def copy_into_staging(
        self, manifest: Manifest, batch: TableBatch, table: Table, parts: LandedParts
    ) -> list[RejectedRow]:
        """COPY reads the parts from S3 itself: `parts` only gives the lake's address."""
        log.info("%s", self.copy_statement(manifest, table, parts.lake, masked=True))
        cursor = self.connection.cursor()
        try:
            cursor.execute(self.copy_statement(manifest, table, parts.lake))
        except Exception as error:  # redshift_connector's errors carry the server's message
            self.connection.rollback()
            raise self._copy_error(table, error) from error
        if self.settings.redshift_max_error and self.staged_rows(table) < batch.rows:
            return self.load_errors()  # the rows MAXERROR let COPY skip
        return []

    def _copy_error(self, table: Table, error: Exception) -> RedshiftCopyError:
        details = self.load_errors()
        where = "; ".join(
            f"file {file}, line {line}, column {column}: {reason}"
            + (f" (value {value!r})" if value is not None else "")
            for file, line, column, value, reason in details[:5]
        )
        message = f"COPY into {table.name} failed: {error}"
        if where:
            message += f". {where}"
        fix = explain_copy_failure(str(error), self.settings.redshift_copy_role_arn)
        if fix:
            message += f". Fix: {fix}"
        return RedshiftCopyError(message)
