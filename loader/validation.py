"""Check one source CSV against the contract while cutting it into compressed, size-bounded parts.

One streaming pass does both, so a file is read once whatever its size. The parts go to a scratch
folder, not the lake: the caller lands them only when every file of the batch has passed, so a bad
file never leaves half a batch behind. Records are copied byte for byte (only the header is rewritten
from the contract), so what lands is what the source sent.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import math
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from loader.errors import SourceFileError
from shop_contract import Table

GZIP_LEVEL = 1  # fast: COPY and DuckDB read any level; level 1 costs ~3x less CPU than 6 for ~10% more bytes
WRITE_BUFFER = 1024 * 1024
HASH_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Part:
    path: Path
    bytes: int
    sha256: str
    rows: int


@dataclass(frozen=True)
class CheckedFile:
    table: str
    source: Path
    source_sha256: str
    rows: int
    parts: tuple[Part, ...]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def part_count(source_bytes: int, part_bytes: int, slices: int | None) -> int:
    """How many parts to cut: enough to keep each under `part_bytes`, a multiple of `slices` when split."""
    count = max(1, math.ceil(source_bytes / part_bytes))
    if slices and count > 1:
        count = math.ceil(count / slices) * slices
    return count


class _PartWriter:
    """Writes records into part-0000.csv.gz, part-0001.csv.gz, ... rolling over at a size.

    Part k closes once the records written so far pass (k + 1) x target: boundaries do not drift, so
    a file cut for n parts gets exactly n (unless single records outgrow a part).
    """

    def __init__(self, folder: Path, header: bytes, target_bytes: float) -> None:
        self.folder, self.header, self.target_bytes = folder, header, target_bytes
        self.parts: list[Part] = []
        self._file: BinaryIO | None = None
        self._gzip: gzip.GzipFile | None = None
        self._buffer: list[bytes] = []
        self._buffered = self._rows = self._records_bytes = 0

    def _open(self) -> None:
        path = self.folder / f"part-{len(self.parts):04d}.csv.gz"
        self._path = path
        self._file = path.open("wb")
        # mtime=0 and no file name in the header: the same records always give the same bytes.
        self._gzip = gzip.GzipFile(filename="", mode="wb", fileobj=self._file, compresslevel=GZIP_LEVEL, mtime=0)
        self._buffer, self._buffered, self._rows = [self.header], len(self.header), 0

    def write_record(self, record: bytes) -> None:
        if self._gzip is None:
            self._open()
        self._buffer.append(record)
        self._buffered += len(record)
        self._records_bytes += len(record)
        self._rows += 1
        if self._buffered >= WRITE_BUFFER:
            self._flush()
        if self._records_bytes >= (len(self.parts) + 1) * self.target_bytes:
            self.close_part()

    def _flush(self) -> None:
        assert self._gzip is not None
        self._gzip.write(b"".join(self._buffer))
        self._buffer, self._buffered = [], 0

    def close_part(self) -> None:
        if self._gzip is None:
            return
        self._flush()
        self._gzip.close()
        assert self._file is not None
        self._file.close()
        self._gzip = self._file = None
        self.parts.append(Part(self._path, self._path.stat().st_size, file_sha256(self._path), self._rows))

    def finish(self) -> tuple[Part, ...]:
        if not self.parts and self._gzip is None:
            self._open()  # a header-only source still lands one (header-only) part
        self.close_part()
        return tuple(self.parts)


def _open_source(path: Path) -> BinaryIO:
    return gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")  # type: ignore[return-value]


def _column_at(table: Table, line: str) -> str:
    """Name of the column a partial line has reached (for errors inside a line)."""
    index = len(next(csv.reader([line]), [""])) - 1
    names = table.column_names
    return names[index] if index < len(names) else f"#{index + 1}"


def check_and_split(source: Path, table: Table, scratch: Path, part_bytes: int, slices: int | None) -> CheckedFile:
    """Validate `source` (encoding, CSV syntax, header, column count) and cut it into gzip parts in `scratch`.

    Raises SourceFileError naming file, line, column and what was expected at the first problem.
    """
    name = str(source)
    size = source.stat().st_size
    if size == 0:
        raise SourceFileError(name, None, None, "the file is empty", f"a header line: {','.join(table.column_names)}")
    expected_header = list(table.column_names)
    header = (",".join(expected_header) + "\n").encode()
    target: float = size / part_count(size, part_bytes, slices)
    if name.endswith(".gz"):  # the compressed size understates the records: use the contract's part size
        target = part_bytes
    folder = scratch / table.name
    folder.mkdir(parents=True)
    writer = _PartWriter(folder, header, target)
    pending: list[bytes] = []
    line_number = 0

    def lines(handle: BinaryIO) -> Iterator[str]:
        nonlocal line_number
        for raw in handle:
            line_number += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                prefix = raw[: error.start].decode("utf-8", errors="replace")
                raise SourceFileError(
                    name,
                    line_number,
                    _column_at(table, prefix),
                    f"byte {raw[error.start : error.start + 1]!r} is not UTF-8",
                    "UTF-8 text",
                ) from None
            pending.append(raw)
            yield text

    rows = 0
    try:
        with _open_source(source) as handle:
            reader = csv.reader(lines(handle), strict=True)
            start_line = 1
            try:
                found_header = next(reader)
            except StopIteration:
                raise SourceFileError(
                    name, None, None, "the file has no header line", ",".join(expected_header)
                ) from None
            found_header[0] = found_header[0].removeprefix("\ufeff")
            _check_header(name, found_header, expected_header)
            pending.clear()
            start_line = line_number + 1
            for record in reader:
                if not record:  # a blank line: nothing to load
                    pending.clear()
                    start_line = line_number + 1
                    continue
                if len(record) != len(expected_header):
                    _column_count_error(name, start_line, record, expected_header)
                writer.write_record(b"".join(pending))
                pending.clear()
                rows += 1
                start_line = line_number + 1
    except csv.Error as error:
        raise SourceFileError(name, line_number, None, f"not parseable as CSV ({error})", "RFC 4180 CSV") from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise SourceFileError(
            name, line_number, None, f"broken gzip stream ({error})", "a complete gzip file"
        ) from None
    parts = writer.finish()
    return CheckedFile(table.name, source, file_sha256(source), rows, parts)


def _check_header(name: str, found: list[str], expected: list[str]) -> None:
    if found == expected:
        return
    missing = [column for column in expected if column not in found]
    extra = [column for column in found if column not in expected]
    position = next(
        (index for index, (got, want) in enumerate(zip(found, expected, strict=False), 1) if got != want),
        min(len(found), len(expected)) + 1,
    )
    got = found[position - 1] if position <= len(found) else "(nothing)"
    want = expected[position - 1] if position <= len(expected) else "(end of line)"
    details = "; ".join(
        part for part in (f"missing {missing}" if missing else "", f"unexpected {extra}" if extra else "") if part
    )
    raise SourceFileError(
        name,
        1,
        got,
        f"header column {position} is {got!r} ({details or 'columns out of order'})",
        f"{want!r} there; the header must be exactly {','.join(expected)}",
    )


def _column_count_error(name: str, line: int, record: list[str], expected: list[str]) -> None:
    if len(record) > len(expected):
        column, problem = f"#{len(expected) + 1}", f"{len(record)} fields, more than the header's {len(expected)}"
    else:
        column, problem = expected[len(record)], f"{len(record)} fields, the row ends before this column"
    raise SourceFileError(name, line, column, problem, f"{len(expected)} fields ({','.join(expected)})")
