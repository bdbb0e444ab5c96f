"""The batch manifest: every landed file with its size, checksum and row count, written last.

A batch exists only once its manifest does, so readers never see half a batch. Redshift's COPY
manifests (one per table, `mandatory: true` entries) are written next to it, before it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from shop_contract import TABLES

FORMAT_VERSION = 1
MANIFESTS_PREFIX = "manifests"
RAW_PREFIX = "raw"


def make_load_id(content_checksum: str, now: datetime | None = None) -> str:
    """`20261122T015500123456Z-1a2b3c4d`: sorts in landing order, ends with the content hash."""
    moment = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{moment}-{content_checksum[:8]}"


def manifest_key(load_id: str) -> str:
    return f"{MANIFESTS_PREFIX}/{load_id}.json"


def redshift_manifest_key(load_id: str, table: str) -> str:
    return f"{MANIFESTS_PREFIX}/{load_id}/redshift/{table}.manifest"


def part_key(table: str, load_id: str, index: int, extension: str = "csv.gz") -> str:
    return f"{RAW_PREFIX}/{table}/load_id={load_id}/part-{index:04d}.{extension}"


def load_id_of_manifest_key(key: str) -> str | None:
    """The load id a batch-manifest key names, or None for other objects under `manifests/`."""
    name = key.removeprefix(MANIFESTS_PREFIX + "/")
    if "/" in name or not name.endswith(".json"):
        return None
    return name.removesuffix(".json")


@dataclass(frozen=True)
class PartFile:
    key: str
    bytes: int
    sha256: str
    rows: int


@dataclass(frozen=True)
class TableBatch:
    table: str
    rows: int
    source_file: str
    source_sha256: str
    parts: tuple[PartFile, ...]

    @property
    def bytes(self) -> int:
        return sum(part.bytes for part in self.parts)


@dataclass(frozen=True)
class Manifest:
    load_id: str
    landed_at: str
    content_checksum: str
    compression: str
    tables: tuple[TableBatch, ...]
    format_version: int = FORMAT_VERSION
    source: dict = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)

    @property
    def bytes(self) -> int:
        return sum(table.bytes for table in self.tables)

    @property
    def files(self) -> int:
        return sum(len(table.parts) for table in self.tables)

    def table(self, name: str) -> TableBatch | None:
        return next((table for table in self.tables if table.table == name), None)

    def to_json(self) -> bytes:
        return (json.dumps(asdict(self), indent=2) + "\n").encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        raw = json.loads(data)
        tables = tuple(
            TableBatch(
                table=table["table"],
                rows=table["rows"],
                source_file=table["source_file"],
                source_sha256=table["source_sha256"],
                parts=tuple(PartFile(**part) for part in table["parts"]),
            )
            for table in raw["tables"]
        )
        order = {table.name: index for index, table in enumerate(TABLES)}
        return cls(**{**raw, "tables": tuple(sorted(tables, key=lambda t: order[t.table]))})


def redshift_manifest(table: TableBatch, uri: Callable[[str], str]) -> bytes:
    """Redshift's COPY manifest for one table: every part mandatory, with its length (needed for ranges)."""
    entries = [
        {"url": uri(part.key), "mandatory": True, "meta": {"content_length": part.bytes}} for part in table.parts
    ]
    return (json.dumps({"entries": entries}, indent=2) + "\n").encode()
