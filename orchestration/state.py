"""Which day the next run generates, kept in the lake next to the batches it describes.

Each landed batch gets a small record `orchestration/batches/<first day>_<last day>.json` holding the
generator's metadata and the load id. The next run starts the day after the latest recorded day,
so a restarted server (or a new machine pointed at the same lake) carries on where it stopped.
The record is written after landing succeeded; a crash in between only makes the next run
generate the same days again, which the generator makes identical and the loader lands once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import asdict, dataclass
from typing import Any

LEDGER_PREFIX = "orchestration/batches/"


@dataclass(frozen=True)
class BatchRecord:
    """One generated and landed batch: its days, the generator's parameters and the loader's load id."""

    first_day: dt.date
    last_day: dt.date
    load_id: str
    scale: float
    seed: int
    generation: dict[str, Any]

    @property
    def key(self) -> str:
        return f"{LEDGER_PREFIX}{self.first_day.isoformat()}_{self.last_day.isoformat()}.json"

    def to_json(self) -> bytes:
        payload = asdict(self) | {"first_day": self.first_day.isoformat(), "last_day": self.last_day.isoformat()}
        return (json.dumps(payload, indent=2, default=str) + "\n").encode()

    @classmethod
    def from_json(cls, data: bytes) -> BatchRecord:
        raw = json.loads(data)
        return cls(
            first_day=dt.date.fromisoformat(raw["first_day"]),
            last_day=dt.date.fromisoformat(raw["last_day"]),
            load_id=raw["load_id"],
            scale=float(raw["scale"]),
            seed=int(raw["seed"]),
            generation=raw.get("generation", {}),
        )


def _lake(lake_url: str | None):
    from loader.lake import open_lake
    from loader.settings import get_settings

    return open_lake(get_settings(lake_url=lake_url))


def recorded_batches(lake_url: str | None = None) -> list[BatchRecord]:
    """Every batch the orchestration generated into this lake, oldest day first."""
    lake = _lake(lake_url)
    keys = [key for key in lake.list_keys(LEDGER_PREFIX) if key.endswith(".json")]
    return sorted((BatchRecord.from_json(lake.get_bytes(key)) for key in keys), key=lambda r: r.last_day)


def next_first_day(lake_url: str | None = None) -> dt.date | None:
    """The day after the last generated one; None when nothing was generated yet (the generator's default)."""
    batches = recorded_batches(lake_url)
    return batches[-1].last_day + dt.timedelta(days=1) if batches else None


def record_batch(record: BatchRecord, lake_url: str | None = None) -> None:
    """Store `record`; the same days recorded twice (a re-run after a crash) keep the first record."""
    from loader.errors import LakeObjectExistsError

    lake = _lake(lake_url)
    with contextlib.suppress(LakeObjectExistsError):
        lake.put_bytes(record.key, record.to_json())
