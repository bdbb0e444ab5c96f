"""One pipeline run at a time per warehouse: an exclusive lock file held for the whole run.

DuckDB accepts a single writer process, and the "next day" is read then advanced; two runs at once
would either crash on DuckDB's lock or generate the same day twice. fcntl's lock is released by the
kernel when the holder dies, so a killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

POLL_SECONDS = 0.5


class PipelineBusyError(RuntimeError):
    """Another run holds the warehouse for longer than this run is willing to wait."""


@contextmanager
def pipeline_lock(path: Path, *, timeout: float) -> Iterator[None]:
    """Hold the exclusive lock at `path`, waiting up to `timeout` seconds for the current holder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown"
                    raise PipelineBusyError(
                        f"Another pipeline run (pid {holder}) has held {path} for over {timeout:.0f} s; "
                        "wait for it to finish or raise PIPELINE_LOCK_TIMEOUT_SECONDS."
                    ) from None
                time.sleep(POLL_SECONDS)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
