"""Land one batch: check every source file, then upload its parts, then the manifest last.

The order is what makes landing crash-safe: a batch whose manifest is missing was never landed (its
orphan parts sit under a load id nobody will reuse), and a batch whose manifest exists is complete.
Landing the same content again finds the earlier manifest by checksum and returns its load id.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from loader.errors import SourceFileError, UsageError
from loader.lake import Lake
from loader.manifest import (
    MANIFESTS_PREFIX,
    Manifest,
    PartFile,
    TableBatch,
    load_id_of_manifest_key,
    make_load_id,
    manifest_key,
    part_key,
    redshift_manifest,
    redshift_manifest_key,
)
from loader.settings import LoaderSettings
from loader.validation import CheckedFile, check_and_split
from shop_contract import TABLES, TABLES_BY_NAME

log = logging.getLogger(__name__)

SOURCE_SUFFIXES = (".csv", ".csv.gz")


@dataclass(frozen=True)
class LandResult:
    load_id: str
    manifest: Manifest
    already_landed: bool
    seconds: float


def source_files(source_dir: Path) -> dict[str, Path]:
    """`<table>.csv` (or `.csv.gz`) files of `source_dir`, by table; other CSVs are refused, not skipped."""
    if not source_dir.is_dir():
        raise UsageError(f"{source_dir} is not a folder: pass the folder holding <table>.csv files.")
    found: dict[str, Path] = {}
    for path in sorted(source_dir.iterdir()):
        suffix = next((s for s in SOURCE_SUFFIXES if path.name.endswith(s)), None)
        if suffix is None or not path.is_file():
            continue
        table = path.name.removesuffix(suffix)
        if table not in TABLES_BY_NAME:
            raise SourceFileError(
                str(path), None, None, f"{table!r} is not a contract table", str(list(TABLES_BY_NAME))
            )
        if table in found:
            raise SourceFileError(str(path), None, None, f"a second file for {table}", "one file per table")
        found[table] = path
    if not found:
        raise UsageError(f"{source_dir} holds no <table>.csv file; expected some of {list(TABLES_BY_NAME)}.")
    return found


def content_checksum(checked: list[CheckedFile]) -> str:
    """One checksum for the batch's content: the tables and the bytes of their source files."""
    digest = hashlib.sha256()
    for file in checked:
        digest.update(f"{file.table}:{file.source_sha256}\n".encode())
    return digest.hexdigest()


def find_landed(lake: Lake, checksum: str) -> Manifest | None:
    """The manifest of an earlier batch with the same content, if any (only same-suffix manifests are read)."""
    for key in lake.list_keys(MANIFESTS_PREFIX + "/"):
        load_id = load_id_of_manifest_key(key)
        if load_id and load_id.endswith("-" + checksum[:8]):
            manifest = Manifest.from_json(lake.get_bytes(key))
            if manifest.content_checksum == checksum:
                return manifest
    return None


def land(
    source_dir: Path, lake: Lake, settings: LoaderSettings, progress: Callable[[str, int], None] | None = None
) -> LandResult:
    """Check and land every `<table>.csv` of `source_dir` as one batch; returns its load id."""
    started = time.perf_counter()
    files = source_files(source_dir)
    part_bytes = settings.loader_part_size_mb * 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="loader-land-") as scratch:
        checked = []
        for table in TABLES:
            if table.name in files:
                checked.append(
                    check_and_split(files[table.name], table, Path(scratch), part_bytes, settings.redshift_slices)
                )
                if progress:
                    progress(f"checked {table.name}", files[table.name].stat().st_size)
        checksum = content_checksum(checked)
        existing = find_landed(lake, checksum)
        if existing is not None:
            log.info("content already landed as %s: nothing written", existing.load_id)
            return LandResult(existing.load_id, existing, True, time.perf_counter() - started)
        load_id = make_load_id(checksum)
        batches = []
        for file in checked:
            parts = []
            for index, part in enumerate(file.parts):
                key = part_key(file.table, load_id, index)
                lake.put_file(key, part.path)
                parts.append(PartFile(key, part.bytes, part.sha256, part.rows))
                if progress:
                    progress(f"landed {key}", 0)
            batches.append(TableBatch(file.table, file.rows, file.source.name, file.source_sha256, tuple(parts)))
    manifest = Manifest(
        load_id=load_id,
        landed_at=datetime.now(UTC).isoformat(timespec="seconds"),
        content_checksum=checksum,
        compression="gzip",
        tables=tuple(batches),
        source={"folder": str(source_dir.resolve())},
    )
    for batch in batches:
        lake.put_bytes(redshift_manifest_key(load_id, batch.table), redshift_manifest(batch, lake.uri))
    lake.put_bytes(manifest_key(load_id), manifest.to_json())  # last: this is what makes the batch exist
    seconds = time.perf_counter() - started
    log.info(
        "landed %s: %d files, %d rows, %d bytes in %.2f s",
        load_id,
        manifest.files,
        manifest.rows,
        manifest.bytes,
        seconds,
    )
    return LandResult(load_id, manifest, False, seconds)


def landed_batches(lake: Lake) -> list[Manifest]:
    """Every landed batch, oldest first (load ids sort in landing order)."""
    keys = [key for key in lake.list_keys(MANIFESTS_PREFIX + "/") if load_id_of_manifest_key(key)]
    return [Manifest.from_json(lake.get_bytes(key)) for key in sorted(keys)]


def read_manifest(lake: Lake, load_id: str) -> Manifest:
    key = manifest_key(load_id)
    if not lake.exists(key):
        raise UsageError(f"No batch {load_id} in {lake.url}: `python -m loader status` lists the landed batches.")
    return Manifest.from_json(lake.get_bytes(key))
