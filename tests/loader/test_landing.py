"""Landing: layout, manifest, immutability, dedupe by checksum, and refusal of files that break the contract."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from loader.errors import LakeObjectExistsError, SourceFileError, UsageError
from loader.lake.local import LocalLake
from loader.landing import land, landed_batches
from loader.settings import LoaderSettings
from loader.validation import part_count
from shop_contract import TABLES, TABLES_BY_NAME
from tests.loader.sample_data import write_table


def lake_files(settings: LoaderSettings) -> list[str]:
    root = Path(settings.lake_url)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_land_writes_parts_and_a_manifest_that_describes_them(source_dir: Path, settings: LoaderSettings):
    result = land(source_dir, LocalLake(settings.lake_url), settings)
    load_id = result.load_id
    files = lake_files(settings)
    for table in TABLES:
        assert f"raw/{table.name}/load_id={load_id}/part-0000.csv.gz" in files
        assert f"manifests/{load_id}/redshift/{table.name}.manifest" in files
    manifest = json.loads((Path(settings.lake_url) / f"manifests/{load_id}.json").read_text())
    assert manifest["load_id"] == load_id
    for table in manifest["tables"]:
        source_rows = (source_dir / f"{table['table']}.csv").read_text().count("\n") - 1
        assert table["rows"] == source_rows == sum(part["rows"] for part in table["parts"])
        for part in table["parts"]:
            path = Path(settings.lake_url) / part["key"]
            assert path.stat().st_size == part["bytes"]
            with gzip.open(path, "rt") as handle:
                assert handle.readline().strip() == ",".join(TABLES_BY_NAME[table["table"]].column_names)


def test_same_content_lands_once_and_new_content_gets_a_later_load_id(source_dir: Path, settings: LoaderSettings):
    lake = LocalLake(settings.lake_url)
    first = land(source_dir, lake, settings)
    before = lake_files(settings)
    again = land(source_dir, lake, settings)
    assert again.already_landed and again.load_id == first.load_id
    assert lake_files(settings) == before
    write_table(source_dir, TABLES_BY_NAME["reviews"], 3)
    second = land(source_dir, lake, settings)
    assert not second.already_landed and second.load_id > first.load_id
    assert [m.load_id for m in landed_batches(lake)] == [first.load_id, second.load_id]


def test_the_lake_refuses_to_overwrite(settings: LoaderSettings, tmp_path: Path):
    lake = LocalLake(settings.lake_url)
    lake.put_bytes("manifests/x.json", b"1")
    with pytest.raises(LakeObjectExistsError):
        lake.put_bytes("manifests/x.json", b"2")
    assert lake.get_bytes("manifests/x.json") == b"1"


def test_large_tables_split_into_size_bounded_parts_that_keep_every_row(source_dir: Path, tmp_path: Path):
    write_table(source_dir, TABLES_BY_NAME["order_items"], 30_000)
    settings = LoaderSettings(lake_url=str(tmp_path / "lake"), loader_part_size_mb=1, redshift_slices=4)
    manifest = land(source_dir, LocalLake(settings.lake_url), settings).manifest
    items = manifest.table("order_items")
    assert len(items.parts) % 4 == 0 and len(items.parts) >= 4
    assert sum(part.rows for part in items.parts) == items.rows == 30_000
    lines = []
    for part in items.parts:
        with gzip.open(Path(settings.lake_url) / part.key, "rt") as handle:
            lines += handle.read().splitlines()[1:]
    assert lines == (source_dir / "order_items.csv").read_text().splitlines()[1:]


def test_part_count_rounds_up_to_a_multiple_of_slices():
    assert part_count(10, 100, 4) == 1  # small tables stay whole
    assert part_count(250, 100, None) == 3
    assert part_count(250, 100, 4) == 4
    assert part_count(900, 100, 4) == 12


def _expect_refusal(source_dir: Path, settings: LoaderSettings, **where: object) -> SourceFileError:
    with pytest.raises(SourceFileError) as caught:
        land(source_dir, LocalLake(settings.lake_url), settings)
    for name, value in where.items():
        assert getattr(caught.value, name) == value, (name, str(caught.value))
    assert lake_files(settings) == [], "a refused batch must leave nothing in the lake"
    return caught.value


def _rewrite(path: Path, edit) -> None:
    lines = path.read_bytes().split(b"\n")
    edit(lines)
    path.write_bytes(b"\n".join(lines))


def test_wrong_header_column_is_named(source_dir: Path, settings: LoaderSettings):
    _rewrite(source_dir / "customers.csv", lambda lines: lines.__setitem__(0, lines[0].replace(b"email", b"e_mail")))
    error = _expect_refusal(source_dir, settings, line=1, column="e_mail")
    assert "'email'" in str(error) and "customers.csv" in str(error)


def test_missing_header_column_is_refused(source_dir: Path, settings: LoaderSettings):
    _rewrite(source_dir / "orders.csv", lambda lines: lines.__setitem__(0, lines[0].replace(b",canceled_at", b"")))
    error = _expect_refusal(source_dir, settings, line=1)
    assert "missing ['canceled_at']" in str(error)


def test_extra_header_column_is_refused(source_dir: Path, settings: LoaderSettings):
    _rewrite(source_dir / "reviews.csv", lambda lines: lines.__setitem__(0, lines[0] + b",sentiment"))
    error = _expect_refusal(source_dir, settings, line=1, column="sentiment")
    assert "unexpected ['sentiment']" in str(error)


def test_row_with_too_few_fields_names_line_and_column(source_dir: Path, settings: LoaderSettings):
    _rewrite(source_dir / "products.csv", lambda lines: lines.__setitem__(5, lines[5].rsplit(b",", 1)[0]))
    _expect_refusal(source_dir, settings, line=6, column="updated_at")


def test_row_with_too_many_fields_is_refused(source_dir: Path, settings: LoaderSettings):
    _rewrite(source_dir / "order_items.csv", lambda lines: lines.__setitem__(3, lines[3] + b",extra"))
    _expect_refusal(source_dir, settings, line=4, column="#10")


def test_non_utf8_bytes_name_line_and_column(source_dir: Path, settings: LoaderSettings):
    def latin1_city(lines: list[bytes]) -> None:
        fields = lines[7].split(b",")
        fields[6] = "Zürich".encode("latin-1")
        lines[7] = b",".join(fields)

    _rewrite(source_dir / "customers.csv", latin1_city)
    error = _expect_refusal(source_dir, settings, line=8, column="city")
    assert "UTF-8" in str(error)


def test_unparseable_csv_is_refused(source_dir: Path, settings: LoaderSettings):
    # A quote opened and never closed: the field would run to the end of the file.
    _rewrite(source_dir / "reviews.csv", lambda lines: lines.__setitem__(-2, lines[-2] + b',"never closed'))
    error = _expect_refusal(source_dir, settings, line=25)
    assert "not parseable as CSV" in str(error)


def test_empty_file_is_refused(source_dir: Path, settings: LoaderSettings):
    (source_dir / "products.csv").write_bytes(b"")
    error = _expect_refusal(source_dir, settings, line=None)
    assert "empty" in str(error)


def test_truncated_gzip_source_is_refused(source_dir: Path, settings: LoaderSettings):
    data = gzip.compress((source_dir / "orders.csv").read_bytes())
    (source_dir / "orders.csv").unlink()
    (source_dir / "orders.csv.gz").write_bytes(data[: len(data) // 2])
    error = _expect_refusal(source_dir, settings)
    assert "gzip" in str(error)


def test_header_only_file_lands_zero_rows(source_dir: Path, settings: LoaderSettings):
    write_table(source_dir, TABLES_BY_NAME["reviews"], 0)
    manifest = land(source_dir, LocalLake(settings.lake_url), settings).manifest
    assert manifest.table("reviews").rows == 0


def test_unknown_table_file_and_empty_folder_are_refused(source_dir: Path, settings: LoaderSettings, tmp_path: Path):
    (source_dir / "coupons.csv").write_text("id\n1\n")
    _expect_refusal(source_dir, settings, column=None)
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError):
        land(tmp_path / "empty", LocalLake(settings.lake_url), settings)
