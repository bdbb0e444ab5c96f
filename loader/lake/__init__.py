"""The lake: an immutable store of landed batches, a local folder or an S3 prefix behind one interface.

Keys are relative to the lake's root (`raw/<table>/load_id=<id>/part-0000.csv.gz`), so landing,
loading and orchestration never care where the lake lives. Nothing is ever overwritten.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from loader.settings import LoaderSettings


class Lake(Protocol):
    """What the loader needs of a lake; `LocalLake` and `S3Lake` provide it."""

    url: str

    def uri(self, key: str) -> str:
        """The full address of `key` (a path, or `s3://bucket/prefix/key` for Redshift's COPY)."""
        ...

    def exists(self, key: str) -> bool: ...

    def list_keys(self, prefix: str) -> list[str]:
        """Every key under `prefix`, sorted."""
        ...

    def get_bytes(self, key: str) -> bytes: ...

    def put_bytes(self, key: str, data: bytes) -> None:
        """Write a new object; raises LakeObjectExistsError if `key` exists."""
        ...

    def put_file(self, key: str, path: Path) -> None:
        """Upload a local file as a new object; raises LakeObjectExistsError if `key` exists."""
        ...

    def local_copy(self, key: str, scratch: Path) -> AbstractContextManager[Path]:
        """A local file holding the object, valid inside the `with` block (the file itself when local)."""
        ...


def open_lake(settings: LoaderSettings) -> Lake:
    """The lake `settings.lake_url` names: `s3://bucket/prefix` or a local folder."""
    if settings.lake_url.startswith("s3://"):
        from loader.lake.s3 import S3Lake

        return S3Lake(settings)
    from loader.lake.local import LocalLake

    return LocalLake(settings.lake_url)
