"""Benchmark `loader load` into DuckDB against baselines measured on the same files in the same run.

    .venv/bin/python benchmarks/bench_loader.py --scale 10        # generate, land, then measure
    .venv/bin/python benchmarks/bench_loader.py --source DIR      # measure an existing folder of CSVs

What is compared (each in its own process, so peak memory is that process's own):
- loader:       `loader.api.load_results` into a new DuckDB file (staging, counts, rejects, audit);
- duckdb COPY:  DuckDB's plain `COPY raw.<table> FROM '<parts>'` of the same landed parts, no checks;
- dlt arrow:    dlt's DuckDB destination fed the same parts as Arrow tables (pyarrow's CSV reader);
- row INSERT:   one `INSERT ... VALUES (?, ...)` per row through DuckDB's DB-API, on a sample.

Targets (issue 3): loader >= 0.8x DuckDB COPY, >= 3x dlt, peak memory bounded by the largest part.
Each path runs `--repeat` times, interleaved; the fastest run counts, and the highest peak memory.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

INSERT_SAMPLE_ROWS = 2_000


def _parts(lake: Path) -> dict[str, list[Path]]:
    from loader.manifest import Manifest

    manifest = Manifest.from_json(next((lake / "manifests").glob("*.json")).read_bytes())
    return {batch.table: [lake / part.key for part in batch.parts] for batch in manifest.tables}


def _raw_tables(connection, schema: str = "raw") -> None:
    from loader.warehouse.sql import LoaderSql
    from shop_contract import TABLES, Dialect

    sql = LoaderSql(Dialect.DUCKDB, schema)
    connection.execute(sql.create_schema())
    for table in TABLES:
        connection.execute(sql.create_raw_table(table))


def _rows_in_warehouse(database: Path, tables) -> int:
    """Rows the raw tables hold, counted after the clock stops: what a path reports is not evidence."""
    import duckdb

    with duckdb.connect(str(database), read_only=True) as connection:
        return sum(connection.execute(f"SELECT count(*) FROM raw.{table}").fetchone()[0] for table in tables)


# --- workers: each runs in a fresh process and prints {"seconds": ..., "rows": ...}


def work_loader(lake: Path, database: Path) -> dict:
    from loader.api import load_results
    from loader.settings import LoaderSettings
    from loader.warehouse import duckdb_target  # noqa: F401 - imported before the clock, as duckdb is for COPY

    settings = LoaderSettings(lake_url=str(lake), duckdb_path=database)
    started = time.perf_counter()
    load_results(settings)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": _rows_in_warehouse(database, _parts(lake))}


def work_duckdb_copy(lake: Path, database: Path) -> dict:
    import duckdb

    from shop_contract import DATE_FORMAT, TABLES_BY_NAME, TIMESTAMP_FORMAT

    connection = duckdb.connect(str(database))
    _raw_tables(connection)
    parts = _parts(lake)
    started = time.perf_counter()
    for table, paths in parts.items():
        glob = paths[0].parent / "*.csv.gz"
        columns = ", ".join(TABLES_BY_NAME[table].column_names)
        connection.execute(
            f"COPY raw.{table} ({columns}) FROM '{glob}' "
            f"(HEADER, DATEFORMAT '{DATE_FORMAT}', TIMESTAMPFORMAT '{TIMESTAMP_FORMAT}')"
        )
    connection.close()  # its last checkpoint, as the loader's own close is inside its clock
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": _rows_in_warehouse(database, parts)}


def work_dlt(lake: Path, database: Path) -> dict:
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    os.environ.setdefault("RUNTIME__LOG_LEVEL", "ERROR")
    import dlt
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from shop_contract import TABLES_BY_NAME, TIMESTAMP_FORMAT, ColumnType

    ARROW_TYPES = {  # noqa: N806 - a constant, local because pyarrow is imported here
        ColumnType.BIGINT: pa.int64(),
        ColumnType.INTEGER: pa.int32(),
        ColumnType.MONEY: pa.decimal128(12, 2),
        ColumnType.VARCHAR: pa.string(),
        ColumnType.DATE: pa.date32(),
        ColumnType.TIMESTAMP: pa.timestamp("s"),
    }

    parts = _parts(lake)

    def arrow_tables(table: str):
        # Typed by the contract, as the loader types them: dlt then writes exact decimals and real timestamps.
        columns = TABLES_BY_NAME[table].columns
        options = pacsv.ConvertOptions(
            column_types={column.name: ARROW_TYPES[column.type] for column in columns},
            timestamp_parsers=[TIMESTAMP_FORMAT],
            strings_can_be_null=True,
        )
        for path in parts[table]:
            with pacsv.open_csv(path, convert_options=options) as reader:
                yield from reader

    resources = [dlt.resource(arrow_tables(table), name=table, write_disposition="append") for table in parts]
    pipeline = dlt.pipeline(
        pipeline_name="bench_loader",
        destination=dlt.destinations.duckdb(str(database)),
        dataset_name="raw",
        pipelines_dir=str(database.parent / "dlt"),
    )
    started = time.perf_counter()
    pipeline.run(resources)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": _rows_in_warehouse(database, parts)}


def work_insert(lake: Path, database: Path) -> dict:
    import duckdb

    connection = duckdb.connect(str(database))
    _raw_tables(connection)
    table, paths = max(_parts(lake).items(), key=lambda item: sum(p.stat().st_size for p in item[1]))
    with gzip.open(paths[0], "rt", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        sample = [[value or None for value in row] for _, row in zip(range(INSERT_SAMPLE_ROWS), reader, strict=False)]
    statement = f"INSERT INTO raw.{table} ({', '.join(header)}) VALUES ({', '.join('?' * len(header))})"
    started = time.perf_counter()
    for row in sample:
        connection.execute(statement, row)
    return {"seconds": time.perf_counter() - started, "rows": len(sample), "table": table}


WORKERS = {"loader": work_loader, "duckdb COPY": work_duckdb_copy, "dlt arrow": work_dlt, "row INSERT": work_insert}


def measure(name: str, lake: Path, scratch: Path) -> dict:
    """Run one worker in its own process; its peak RSS comes from wait4 on that very process."""
    database = scratch / f"{name.replace(' ', '_')}.duckdb"
    for stale in scratch.glob(database.name + "*"):
        stale.unlink()
    shutil.rmtree(scratch / "dlt", ignore_errors=True)
    process = subprocess.Popen(
        [sys.executable, __file__, "--worker", name, "--lake", str(lake), "--database", str(database)],
        stdout=subprocess.PIPE,
        text=True,
    )
    output = process.stdout.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"{name} failed (status {status})")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime  # whole process: steadier than wall time on a busy box
    return result


def source_bytes(source: Path) -> int:
    return sum(path.stat().st_size for path in source.glob("*.csv"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--scale", type=float, help="generate the source with seeds_generator at this scale")
    group.add_argument("--source", type=Path, help="an existing folder of <table>.csv files")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per path; the fastest counts (default 3)")
    parser.add_argument("--worker", choices=WORKERS, help=argparse.SUPPRESS)
    parser.add_argument("--lake", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--database", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        print(json.dumps(WORKERS[arguments.worker](arguments.lake, arguments.database)))
        return

    from loader.api import land_result
    from loader.settings import LoaderSettings

    with tempfile.TemporaryDirectory(prefix="bench-loader-") as folder:
        scratch = Path(folder)
        source = arguments.source
        if source is None:
            source = scratch / "source"
            scale = arguments.scale if arguments.scale is not None else 1.0
            subprocess.run(
                [sys.executable, "-m", "seeds_generator", "--out", str(source), "--scale", str(scale)],
                check=True,
                cwd=ROOT,
            )
        lake = scratch / "lake"
        landed = land_result(source, LoaderSettings(lake_url=str(lake)))
        manifest = landed.manifest
        csv_mb = source_bytes(source) / 2**20
        largest = max(part.bytes for batch in manifest.tables for part in batch.parts) / 2**20
        print(
            f"source: {manifest.rows:,} rows, {csv_mb:,.1f} MB of CSV -> {manifest.files} parts, "
            f"{manifest.bytes / 2**20:,.1f} MB gzip (largest part {largest:,.1f} MB); "
            f"land took {landed.seconds:.1f} s ({manifest.rows / landed.seconds:,.0f} rows/s)"
        )
        # Rounds interleave the paths so that a busy spell on a shared machine hits them alike; best of the rounds.
        rounds = [
            {name: measure(name, lake, scratch) for name in WORKERS if name != "row INSERT" or not index}
            for index in range(arguments.repeat)
        ]
        results = {name: min((r[name] for r in rounds if name in r), key=lambda x: x["seconds"]) for name in WORKERS}
        short = {
            name: r["rows"]
            for rnd in rounds
            for name, r in rnd.items()
            if "table" not in r and r["rows"] != manifest.rows
        }
        if short:
            raise SystemExit(f"rows in the warehouse differ from the batch's {manifest.rows:,}: {short}")
        for name, result in results.items():
            result["peak_mb"] = max(r[name]["peak_mb"] for r in rounds if name in r)

    print(f"\n{'path':<12} {'rows':>12} {'seconds':>8} {'rows/s':>12} {'MB/s':>8} {'peak MB':>8} {'CPU s':>7}")
    for name, result in results.items():
        rate = result["rows"] / result["seconds"]
        mb_per_s = csv_mb * (result["rows"] / manifest.rows) / result["seconds"]
        note = f"  (sample of {result['table']})" if "table" in result else ""
        print(
            f"{name:<12} {result['rows']:>12,} {result['seconds']:>8.2f} {rate:>12,.0f} {mb_per_s:>8.1f} "
            f"{result['peak_mb']:>8.0f} {result['cpu_seconds']:>7.1f}{note}"
        )
    speed = {name: result["rows"] / result["seconds"] for name, result in results.items()}
    versus_copy = speed["loader"] / speed["duckdb COPY"]
    versus_dlt = speed["loader"] / speed["dlt arrow"]
    print(f"\nloader vs DuckDB COPY: {versus_copy:.2f}x (target >= 0.8x) {'ok' if versus_copy >= 0.8 else 'MISSED'}")
    print(f"loader vs dlt arrow:   {versus_dlt:.2f}x (target >= 3x) {'ok' if versus_dlt >= 3 else 'MISSED'}")
    print(f"loader vs row INSERT:  {speed['loader'] / speed['row INSERT']:,.0f}x")
    print(
        f"loader peak {results['loader']['peak_mb']:.0f} MB for {csv_mb:,.0f} MB of CSV, largest part {largest:.1f} MB gzip"
    )


if __name__ == "__main__":
    main()
