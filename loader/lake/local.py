"""A lake in a local folder: files written under a temporary name, then hard-linked into place.

`os.link` fails when the target exists, so an existing file is never replaced, even by two landings
racing each other; and a crash mid-write leaves only a temporary file, never half an object.
Landed files are made read-only, which keeps a stray editor or script from altering a batch.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from loader.errors import LakeError, LakeObjectExistsError

READ_ONLY = 0o444


class LocalLake:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.url = str(root)

    def _path(self, key: str) -> Path:
        return self.root / key

    def uri(self, key: str) -> str:
        return str(self._path(key).resolve())

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list_keys(self, prefix: str) -> list[str]:
        folder, _, _ = prefix.rpartition("/")
        base = self.root / folder
        if not base.is_dir():
            return []
        keys = (path.relative_to(self.root).as_posix() for path in base.rglob("*") if path.is_file())
        return sorted(key for key in keys if key.startswith(prefix) and not Path(key).name.startswith(".tmp-"))

    def get_bytes(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except OSError as error:
            raise LakeError(f"Cannot read {self._path(key)}: {error}") from error

    def _publish(self, key: str, write: Callable[[BinaryIO], object]) -> None:
        target = self._path(key)
        if target.exists():
            raise LakeObjectExistsError(f"{target} exists: the lake is immutable, a new batch gets a new load id.")
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
        temporary = Path(name)
        try:
            with os.fdopen(handle, "wb") as out:
                write(out)
                out.flush()
                os.fsync(out.fileno())
            temporary.chmod(READ_ONLY)
            try:
                os.link(temporary, target)
            except FileExistsError:
                raise LakeObjectExistsError(f"{target} exists: the lake is immutable.") from None
        finally:
            temporary.unlink(missing_ok=True)

    def put_bytes(self, key: str, data: bytes) -> None:
        self._publish(key, lambda out: out.write(data))

    def put_file(self, key: str, path: Path) -> None:
        def copy(out: BinaryIO) -> None:
            with Path(path).open("rb") as source:
                shutil.copyfileobj(source, out, 1024 * 1024)

        self._publish(key, copy)

    @contextmanager
    def local_copy(self, key: str, scratch: Path) -> Iterator[Path]:
        path = self._path(key)
        if not path.is_file():
            raise LakeError(f"{path} is missing: the batch's manifest names it, so the lake was altered after landing.")
        yield path
