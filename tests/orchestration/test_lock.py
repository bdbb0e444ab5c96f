"""The warehouse lock: a second holder waits, gives up with a clear error, and gets it once released."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from orchestration.lock import PipelineBusyError, pipeline_lock


def test_second_holder_is_refused_after_timeout_with_the_holders_pid(tmp_path):
    lock = tmp_path / "w.lock"
    with (
        pipeline_lock(lock, timeout=1),
        pytest.raises(PipelineBusyError, match=f"pid {os.getpid()}"),
        pipeline_lock(lock, timeout=0.2),
    ):
        pass


def test_waiting_holder_gets_the_lock_when_the_first_releases(tmp_path):
    lock = tmp_path / "w.lock"
    order: list[str] = []

    def second() -> None:
        with pipeline_lock(lock, timeout=10):
            order.append("second")

    with pipeline_lock(lock, timeout=1):
        waiter = threading.Thread(target=second)
        waiter.start()
        time.sleep(0.8)
        order.append("first done")
    waiter.join(10)
    assert order == ["first done", "second"]


def test_lock_of_a_killed_process_is_released(tmp_path):
    lock = tmp_path / "w.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from orchestration.lock import pipeline_lock\n"
            f"with pipeline_lock(Path({str(lock)!r}), timeout=1):\n    print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline().strip() == b"held"
        with pytest.raises(PipelineBusyError), pipeline_lock(lock, timeout=0.2):
            pass
    finally:
        holder.kill()
        holder.wait()
    with pipeline_lock(lock, timeout=2):
        pass
