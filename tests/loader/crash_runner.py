"""Run `python -m loader ...` but kill the process (SIGKILL, no clean-up) at the N-th call of a function.

Usage: python crash_runner.py module:attribute[.method] N -- <loader arguments>
SIGKILL is what an OOM killer or a lost container does: no finally blocks, no rollback, no flush.
"""

from __future__ import annotations

import functools
import importlib
import os
import signal
import sys


def arm(target: str, nth: int) -> None:
    module_name, _, path = target.partition(":")
    owner = importlib.import_module(module_name)
    *parents, name = path.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    original = getattr(owner, name)
    calls = 0

    @functools.wraps(original)
    def tripwire(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == nth:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)

    setattr(owner, name, tripwire)


if __name__ == "__main__":
    target, nth, separator, *arguments = sys.argv[1:]
    assert separator == "--"
    arm(target, int(nth))
    from loader.cli import app

    app(arguments, prog_name="loader")
