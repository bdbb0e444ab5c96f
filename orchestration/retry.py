"""Which failures of landing and loading are worth retrying: the network and locks, not bad data.

A retry only helps when the cause is outside the batch: a dropped connection, a throttled S3 call,
a warehouse file briefly locked by another process. A file that breaks the contract or a load that
would exceed the reject threshold fails the same way every time, so it fails at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb

RETRIES = 3
RETRY_DELAYS_SECONDS = [2, 5, 15]


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _transient_types() -> tuple[type[BaseException], ...]:
    types: list[type[BaseException]] = [ConnectionError, TimeoutError, duckdb.IOException]
    try:
        from botocore.exceptions import ConnectionError as BotoConnectionError
        from botocore.exceptions import HTTPClientError

        types += [BotoConnectionError, HTTPClientError]
    except ImportError:  # pragma: no cover - botocore is a core dependency
        pass
    try:
        import psycopg

        types.append(psycopg.OperationalError)
    except ImportError:  # pragma: no cover
        pass
    return tuple(types)


def _final_types() -> tuple[type[BaseException], ...]:
    from loader import errors

    return (
        errors.UsageError,
        errors.SourceFileError,
        errors.LoadFailedError,
        errors.LakeObjectExistsError,
        errors.BucketMissingError,
        errors.BatchCorruptError,
    )


def is_transient(exc: BaseException) -> bool:
    """True when `exc` (or what caused it) is a connection, timeout or lock error and not a data error."""
    chain = list(_chain(exc))
    if any(isinstance(e, _final_types()) for e in chain):
        return False
    return any(isinstance(e, _transient_types()) for e in chain)


def retry_if_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect's `retry_condition_fn`: retry the task only when its failure is transient."""
    exc = state.result(raise_on_failure=False)
    return isinstance(exc, BaseException) and is_transient(exc)
