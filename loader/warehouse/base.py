"""What every warehouse shares: the result of loading one table, the checks around it, and the interface.

The load itself differs per warehouse (how rows reach the staging table); the rules do not: parts are
verified against the manifest before they are read (`LandedParts`), rows staged + rows rejected must
equal the manifest's count, and too many rejected rows fail the table.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple, Protocol

from loader.errors import CountMismatchError, RejectThresholdExceededError
from loader.manifest import Manifest, TableBatch
from loader.settings import LoaderSettings

if TYPE_CHECKING:
    from loader.warehouse.parts import LandedParts


def utc_now() -> datetime:
    """Now in UTC, without a zone: the raw schema's timestamps are UTC by convention (`timestamp` columns)."""
    return datetime.now(UTC).replace(tzinfo=None)


class RejectedRow(NamedTuple):
    """A source row that could not be cast to the contract's types, by its first bad column."""

    file: str
    line: int | None
    column_name: str | None
    raw_value: str | None
    reason: str


@dataclass
class TableLoad:
    """What happened to one table of one batch; a succeeded or failed one is also its audit row."""

    load_id: str
    table: str
    status: str  # succeeded | failed | skipped
    files: int
    rows_in_manifest: int
    rows_loaded: int = 0
    rows_rejected: int = 0
    bytes: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: str | None = None

    @property
    def seconds(self) -> float:
        if self.started_at is None or self.finished_at is None:
            return 0.0
        return (self.finished_at - self.started_at).total_seconds()

    def audit_values(self) -> tuple:
        """The row of `loader_audit`, in the column order of `LoaderSql.insert_audit`."""
        return (
            self.load_id,
            self.table,
            self.files,
            self.rows_in_manifest,
            self.rows_loaded,
            self.rows_rejected,
            self.status,
            self.started_at,
            self.finished_at,
            self.error,
        )

    @classmethod
    def succeeded(cls, load_id: str, batch: TableBatch, started: datetime, loaded: int, rejected: int) -> TableLoad:
        """The result (and audit row) of a table whose rows are in, stamped with the time it finished."""
        return cls(
            load_id,
            batch.table,
            "succeeded",
            len(batch.parts),
            batch.rows,
            rows_loaded=loaded,
            rows_rejected=rejected,
            bytes=batch.bytes,
            started_at=started,
            finished_at=utc_now(),
        )

    def as_dict(self) -> dict:
        return asdict(self) | {"seconds": self.seconds}


class Warehouse(Protocol):
    """A warehouse the loader writes the raw schema into."""

    def ensure_schema(self) -> None:
        """Create the raw schema, its tables and the loader's two tables when missing."""
        ...

    def is_loaded(self, load_id: str, table: str) -> bool:
        """Whether `loader_audit` holds a succeeded row for this batch and table."""
        ...

    def load_table(self, manifest: Manifest, batch: TableBatch, parts: LandedParts, started: datetime) -> TableLoad:
        """Stage `parts.of(batch)`, check, then append rows, rejected rows and the audit row in one transaction."""
        ...

    def record(self, result: TableLoad) -> None:
        """Write one audit row in a transaction of its own (a failure's)."""
        ...

    def audit_rows(self) -> list[dict]:
        """Every audit row, oldest first."""
        ...

    def close(self) -> None: ...


def check_counts(table: str, where: str, expected: int, staged: int, rejected: int) -> None:
    """Rows staged + rows rejected must be what the manifest says, or rows went missing on the way."""
    if staged + rejected != expected:
        raise CountMismatchError(
            f"{table}: {where} gave {staged:,} rows and {rejected:,} rejected, but the manifest counts {expected:,}. "
            "Nothing was loaded; check the lake's files against the manifest, then load again."
        )


def check_reject_threshold(settings: LoaderSettings, table: str, rows: int, rejected: int) -> None:
    """Fail the table when its rejected rows pass LOADER_MAX_REJECTED_ROWS or LOADER_MAX_REJECTED_FRACTION."""
    limit, fraction = settings.loader_max_rejected_rows, settings.loader_max_rejected_fraction
    if limit is not None and rejected > limit:
        setting = f"LOADER_MAX_REJECTED_ROWS={limit}"
    elif rows and rejected / rows > fraction:
        setting = f"LOADER_MAX_REJECTED_FRACTION={fraction:g}"
    else:
        return
    raise RejectThresholdExceededError(
        f"{table}: {rejected:,} of {rows:,} rows could not be cast to the contract's types, more than {setting} "
        "allows. Nothing of the table was loaded; fix the source, or raise the setting to load the rest and "
        "keep the rejected rows in loader_rejected_rows."
    )
