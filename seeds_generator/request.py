"""The arguments of a run, checked before any heavy import so that usage errors answer at once."""

from __future__ import annotations

import datetime as dt
import math
import os
from dataclasses import dataclass
from pathlib import Path

from seeds_generator import params
from seeds_generator.errors import GeneratorUsageError


@dataclass(frozen=True)
class Request:
    """Validated arguments of one generation run."""

    out_dir: Path
    scale: float
    seed: int
    start_date: dt.date
    days: int
    clean: bool

    @property
    def start_day(self) -> int:
        return (self.start_date - params.OPENING_DATE).days

    @property
    def end_day(self) -> int:
        """The first day this run does not write."""
        return self.start_day + self.days


def validate(
    out_dir: str | os.PathLike, scale: float, seed: int, start_date: dt.date | str | None, days: int | None, clean: bool
) -> Request:
    """Check every argument, or raise GeneratorUsageError naming the bad one."""
    if not (isinstance(scale, int | float) and math.isfinite(scale) and scale > 0):
        raise GeneratorUsageError(f"--scale must be a number greater than 0, got {scale!r}")
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63:
        raise GeneratorUsageError(f"--seed must be an integer from 0 to 2**63-1, got {seed!r}")
    if start_date is None:
        start_date = params.OPENING_DATE
    elif isinstance(start_date, str):
        try:
            start_date = dt.datetime.strptime(start_date, "%Y-%m-%d").date()
        except ValueError:
            raise GeneratorUsageError(f"--start-date must be a date YYYY-MM-DD, got {start_date!r}") from None
    if start_date < params.OPENING_DATE:
        raise GeneratorUsageError(
            f"--start-date {start_date} is before the shop's opening day {params.OPENING_DATE}: nothing happened then"
        )
    days = params.DEFAULT_DAYS if days is None else days
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise GeneratorUsageError(f"--days must be an integer of at least 1, got {days!r}")
    if (start_date - params.OPENING_DATE).days + days > 365 * 200:
        raise GeneratorUsageError("--start-date plus --days reaches more than 200 years after the opening day")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise GeneratorUsageError(f"--out {out}: cannot create the folder ({error.strerror})") from None
    if not out.is_dir() or not os.access(out, os.W_OK | os.X_OK):
        raise GeneratorUsageError(f"--out {out}: not a writable folder")
    return Request(out, float(scale), seed, start_date, days, clean)
