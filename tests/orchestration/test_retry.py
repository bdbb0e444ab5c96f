"""Only transient failures (connections, timeouts, locks) are retried; data errors fail at once."""

from __future__ import annotations

import duckdb
import pytest
from botocore.exceptions import EndpointConnectionError

from loader import errors
from orchestration.retry import is_transient


def _caused_by(cause: BaseException) -> BaseException:
    try:
        raise RuntimeError("while loading") from cause
    except RuntimeError as wrapped:
        return wrapped


@pytest.mark.parametrize(
    "exc",
    [
        ConnectionResetError("reset by peer"),
        TimeoutError("timed out"),
        duckdb.IOException("Could not set lock on file"),
        EndpointConnectionError(endpoint_url="http://127.0.0.1:1"),
        _caused_by(ConnectionRefusedError("refused")),
    ],
    ids=repr,
)
def test_transient(exc):
    assert is_transient(exc)


@pytest.mark.parametrize(
    "exc",
    [
        errors.SourceFileError("orders.csv", 3, "status", "not a status", "one of placed, shipped"),
        errors.RejectThresholdExceededError("too many rejects"),
        errors.UsageError("no such batch"),
        ValueError("a bug"),
        _caused_by(errors.CountMismatchError("rows differ")),
    ],
    ids=repr,
)
def test_final(exc):
    assert not is_transient(exc)
