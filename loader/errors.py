"""One exception per kind of failure a user can act on; each message says what to do.

Orchestration catches `LoaderError` and shows the message; the CLI maps `LoadFailedError` subclasses to exit
code 1 and `UsageError` to exit code 2.
"""

from __future__ import annotations


class LoaderError(Exception):
    """Base of every error the loader raises on purpose."""


class UsageError(LoaderError):
    """The loader was asked for something that cannot be done as given (bad flag, unknown load id)."""


class SettingsError(UsageError):
    """A required setting is missing or malformed."""


class SourceFileError(LoaderError):
    """A source file does not fit the contract; nothing of its batch was landed."""

    def __init__(self, file: str, line: int | None, column: str | None, problem: str, expected: str) -> None:
        self.file, self.line, self.column, self.problem, self.expected = file, line, column, problem, expected
        where = file + (f", line {line}" if line is not None else "") + (f", column {column}" if column else "")
        super().__init__(f"{where}: {problem}; expected {expected}. Fix the file and land the batch again.")


class LakeError(LoaderError):
    """The lake cannot be read or written."""


class LakeObjectExistsError(LakeError):
    """Something tried to overwrite a file in the immutable lake."""


class BucketMissingError(LakeError):
    """The S3 bucket does not exist and creating it was not asked for."""


class BatchCorruptError(LakeError):
    """A landed file no longer matches its manifest (size or checksum)."""


class LoadFailedError(LoaderError):
    """A table of a batch could not be loaded; the warehouse was left as it was before."""


class CountMismatchError(LoadFailedError):
    """Rows read from the lake do not add up to the manifest's count."""


class RejectThresholdExceededError(LoadFailedError):
    """Too many rows could not be cast to the contract's types."""


class RedshiftCopyError(LoadFailedError):
    """Redshift's COPY failed; the message names table, file, line, column and reason."""


class WarehouseUnreachableError(LoadFailedError):
    """The warehouse did not accept a connection."""
