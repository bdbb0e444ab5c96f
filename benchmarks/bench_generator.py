"""Benchmark the seeds generator against pyarrow's CSV writer and a row-by-row Faker loop, in one run.

    python benchmarks/bench_generator.py --scale 1000

1. The generator runs end to end in a child process (`python -m seeds_generator`): rows/s, MB/s,
   and the child's peak RSS from getrusage(RUSAGE_CHILDREN).
2. pyarrow's CSV writer writes the same tables (read back into Arrow first, not timed): the ceiling
   a vectorised generator that writes CSV with pyarrow can approach.
3. A Faker loop builds and writes customer-like rows one at a time, on a sample, extrapolated.

Targets (from the generator's issue): >= 1,000,000 rows/s end to end, >= 0.7x pyarrow's writer,
peak memory under 1 GB. Output goes to a temporary folder (default under /tmp), deleted afterwards.
"""

from __future__ import annotations

import argparse
import csv as std_csv
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.csv as pa_csv

from seeds_generator.columns import arrow_schema
from shop_contract import TABLES

TARGET_ROWS_PER_SECOND = 1_000_000
TARGET_RATIO_TO_PYARROW = 0.7
TARGET_PEAK_MB = 1024


def run_generator(out: Path, scale: float) -> dict:
    """Time the CLI in a child process; its peak RSS is the only child this process has had."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "seeds_generator", "--out", str(out), "--scale", str(scale), "--quiet"], check=True
    )
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb = usage.ru_maxrss / 1024  # KiB on Linux
    truth = json.loads((out / "_generation.json").read_text())
    rows = sum(entry["rows"] for entry in truth["files"].values())
    size = sum(entry["bytes"] for entry in truth["files"].values())
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "rows": rows, "bytes": size, "peak_mb": peak_mb}


def run_pyarrow_writer(source: Path, out: Path) -> dict:
    """Write the generator's tables again with pyarrow alone; only the writing is timed."""
    out.mkdir()
    seconds = cpu = rows = size = 0
    for table in TABLES:
        schema = arrow_schema(table)
        data = pa_csv.read_csv(
            source / f"{table.name}.csv", convert_options=pa_csv.ConvertOptions(column_types=schema)
        ).cast(schema)
        target = out / f"{table.name}.csv"
        started, started_cpu = time.perf_counter(), time.process_time()
        pa_csv.write_csv(data, target)
        seconds += time.perf_counter() - started
        cpu += time.process_time() - started_cpu
        rows += data.num_rows
        size += target.stat().st_size
        del data
        target.unlink()
    return {"seconds": seconds, "cpu": cpu, "rows": rows, "bytes": size}


def run_faker_loop(out: Path, sample_rows: int) -> dict:
    """The classic way: one Faker call per field, one csv.writer call per row."""
    from faker import Faker

    fake = Faker()
    Faker.seed(42)
    target = out / "faker_customers.csv"
    started, started_cpu = time.perf_counter(), time.process_time()
    with target.open("w", newline="") as handle:
        writer = std_csv.writer(handle)
        writer.writerow(TABLES[0].column_names)
        for customer_id in range(1, sample_rows + 1):
            created = fake.date_time_between(start_date="-2y", end_date="now")
            writer.writerow(
                [
                    customer_id,
                    fake.email(),
                    fake.first_name(),
                    fake.last_name(),
                    fake.random_element(("female", "male", "non_binary")),
                    fake.date_of_birth(minimum_age=18, maximum_age=90).isoformat(),
                    fake.city(),
                    fake.state_abbr(),
                    fake.country_code(),
                    fake.random_element(("organic", "search", "social", "email", "display", "referral")),
                    created.strftime("%Y-%m-%d %H:%M:%S"),
                    created.strftime("%Y-%m-%d %H:%M:%S"),
                ]
            )
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    return {"seconds": seconds, "cpu": cpu, "rows": sample_rows, "bytes": target.stat().st_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10.0, help="generator scale (1000 for the issue's targets)")
    parser.add_argument("--faker-rows", type=int, default=20_000, help="rows in the Faker sample")
    parser.add_argument("--tmp", type=Path, default=Path(tempfile.gettempdir()), help="where to write (deleted)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench_generator_", dir=args.tmp))
    try:
        generator = run_generator(work / "generated", args.scale)
        baseline = run_pyarrow_writer(work / "generated", work / "pyarrow")
        faker = run_faker_loop(work, args.faker_rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def rate(result: dict, clock: str = "seconds") -> float:
        return result["rows"] / result[clock]

    print(f"scale {args.scale:g}: {generator['rows']:,} rows, {generator['bytes'] / 1e6:,.0f} MB of CSV")
    print("Wall-clock rates depend on what else the machine runs; CPU-second rates much less so.")
    header = f"{'':30}{'wall s':>8}{'rows/s':>12}{'MB/s':>8}{'CPU s':>8}{'rows/CPU s':>12}{'peak MB':>9}"
    print(header + f"{'gen / this':>12}")
    for name, result, peak in [
        ("seeds_generator (CLI, child)", generator, f"{generator['peak_mb']:,.0f}"),
        ("pyarrow write_csv only", baseline, "-"),
        (f"Faker row loop ({faker['rows']:,} rows)", faker, "-"),
    ]:
        print(
            f"{name:30}{result['seconds']:>8.2f}{rate(result):>12,.0f}{result['bytes'] / 1e6 / result['seconds']:>8.1f}"
            f"{result['cpu']:>8.2f}{rate(result, 'cpu'):>12,.0f}{peak:>9}{rate(generator) / rate(result):>11.2f}x"
        )
    checks = [
        (f"generator >= {TARGET_ROWS_PER_SECOND:,} rows/s (wall)", rate(generator) / TARGET_ROWS_PER_SECOND),
        (
            f"generator >= {TARGET_RATIO_TO_PYARROW}x pyarrow (wall)",
            rate(generator) / rate(baseline) / TARGET_RATIO_TO_PYARROW,
        ),
        (
            f"generator >= {TARGET_RATIO_TO_PYARROW}x pyarrow (CPU s)",
            rate(generator, "cpu") / rate(baseline, "cpu") / TARGET_RATIO_TO_PYARROW,
        ),
        (f"peak memory < {TARGET_PEAK_MB} MB", TARGET_PEAK_MB / generator["peak_mb"]),
    ]
    for label, ratio in checks:
        print(f"target {label:44} {'met' if ratio >= 1 else 'MISSED'} ({ratio:.2f} of target)")


if __name__ == "__main__":
    main()
