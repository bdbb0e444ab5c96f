"""`python -m loader`: land, load, run, status, doctor, export.

Exit codes: 0 success, 1 a failed load (or failed check), 2 a usage error. The load id goes to
stdout (for scripts); summaries, progress and errors go to stderr.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from loader import api
from loader.errors import LoaderError, UsageError
from loader.landing import LandResult
from loader.loading import BatchLoadError
from loader.settings import LoaderSettings, Target, get_settings
from loader.warehouse import TableLoad

app = typer.Typer(
    help="Land raw CSV extracts in the lake and load them into the warehouse's raw schema.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Off a terminal (logs, CI, pipes) lines are not wrapped and tables get room for full load ids.
err = Console(stderr=True, soft_wrap=True, width=None if sys.stderr.isatty() else 160)
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)

LakeOption = Annotated[
    str | None, typer.Option("--lake", help="Lake URL: a folder or s3://bucket/prefix. Default: LAKE_URL, else lake/.")
]
TargetOption = Annotated[
    Target | None, typer.Option("--target", help="Warehouse to load. Default: WAREHOUSE_TARGET, else duckdb.")
]
SourceOption = Annotated[
    Path, typer.Option("--source", help="Folder holding <table>.csv files (e.g. the generator's output).")
]
CreateBucketOption = Annotated[
    bool | None,
    typer.Option("--create-bucket/--no-create-bucket", help="Create a missing S3 bucket, private and encrypted."),
]


@app.callback()
def main_options(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each step with its numbers.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


def _fail(error: LoaderError) -> NoReturn:
    err.print(f"[bold red]error:[/] {error}", highlight=False)
    raise typer.Exit(2 if isinstance(error, UsageError) else 1)


def _settings(**overrides: object) -> LoaderSettings:
    try:
        return get_settings(**overrides)
    except ValueError as error:
        err.print(f"[bold red]error:[/] invalid setting: {error}", highlight=False)
        raise typer.Exit(2) from None


@contextmanager
def _progress(total: int | None, label: str) -> Iterator[Callable[[], None] | None]:
    """A progress bar on a terminal; nothing when output goes to a file or a pipe."""
    if not err.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda: progress.advance(task)


def _print_land(result: LandResult) -> None:
    manifest = result.manifest
    verb = "already landed as" if result.already_landed else "landed"
    err.print(
        f"{verb} {result.load_id}: {len(manifest.tables)} tables, {manifest.files} files, {manifest.rows:,} rows, "
        f"{manifest.bytes:,} bytes in {result.seconds:.2f} s",
        highlight=False,
    )


def _print_loads(results: list[TableLoad], seconds: float) -> None:
    table = Table("load id", "table", "status", "files", "rows", "loaded", "rejected", "bytes", "seconds")
    for r in results:
        table.add_row(
            r.load_id,
            r.table,
            r.status,
            str(r.files),
            f"{r.rows_in_manifest:,}",
            f"{r.rows_loaded:,}",
            f"{r.rows_rejected:,}",
            f"{r.bytes:,}",
            f"{r.seconds:.2f}",
        )
    err.print(table)
    done = [r for r in results if r.status == "succeeded"]
    rows = sum(r.rows_loaded for r in done)
    err.print(
        f"loaded {len(done)} tables of {len({r.load_id for r in done})} batches: {sum(r.files for r in done)} files, "
        f"{rows:,} rows, {sum(r.rows_rejected for r in done):,} rejected, {sum(r.bytes for r in done):,} bytes "
        f"in {seconds:.2f} s ({rows / seconds if seconds else 0:,.0f} rows/s); "
        f"skipped {sum(r.status == 'skipped' for r in results)} already loaded",
        highlight=False,
    )


def _land(source: Path, settings: LoaderSettings) -> LandResult:
    tables = len([p for p in source.glob("*.csv*")]) if source.is_dir() else 0
    with _progress(tables, "checking and landing") as advance:
        return api.land_result(
            source,
            settings,
            (lambda message, _bytes: advance() if message.startswith("checked") else None) if advance else None,
        )


def _load(settings: LoaderSettings, load_id: str | None) -> None:
    started = time.perf_counter()
    with _progress(None, "loading tables") as advance:
        try:
            results = api.load_results(settings, load_id, (lambda _result: advance()) if advance else None)
        except BatchLoadError as error:
            _print_loads(error.results, time.perf_counter() - started)
            _fail(error)
    _print_loads(results, time.perf_counter() - started)


@app.command()
def land(source: SourceOption, lake: LakeOption = None, create_bucket: CreateBucketOption = None) -> None:
    """Check a folder of CSVs against the contract and land it as one batch; prints the load id."""
    settings = _settings(lake_url=lake, lake_create_bucket=create_bucket)
    try:
        result = _land(source, settings)
    except LoaderError as error:
        _fail(error)
    _print_land(result)
    out.print(result.load_id, highlight=False)


@app.command()
def load(
    lake: LakeOption = None,
    target: TargetOption = None,
    load_id: Annotated[
        str | None, typer.Option("--load-id", help="Load only this batch (it is still skipped if already loaded).")
    ] = None,
) -> None:
    """Load every landed batch not yet loaded, oldest first (or just --load-id)."""
    settings = _settings(lake_url=lake, warehouse_target=target)
    try:
        _load(settings, load_id)
    except LoaderError as error:
        _fail(error)


@app.command()
def run(
    source: SourceOption, lake: LakeOption = None, target: TargetOption = None, create_bucket: CreateBucketOption = None
) -> None:
    """Land a folder of CSVs, then load everything not yet loaded."""
    settings = _settings(lake_url=lake, warehouse_target=target, lake_create_bucket=create_bucket)
    try:
        result = _land(source, settings)
        _print_land(result)
        out.print(result.load_id, highlight=False)
        _load(settings, None)
    except LoaderError as error:
        _fail(error)


@app.command()
def status(lake: LakeOption = None, target: TargetOption = None) -> None:
    """Batches landed in the lake and what the warehouse's audit table says about each."""
    from loader.status import batch_status

    settings = _settings(lake_url=lake, warehouse_target=target)
    try:
        rows = batch_status(settings)
    except LoaderError as error:
        _fail(error)
    table = Table("load id", "table", "landed rows", "files", "bytes", "status", "loaded", "rejected")
    for row in rows:
        table.add_row(*(f"{v:,}" if isinstance(v, int) else str(v if v is not None else "-") for v in row.values()))
    out.print(table)
    batches = {row["load_id"] for row in rows}
    pending = {row["load_id"] for row in rows if row["status"] != "succeeded"}
    err.print(f"{len(batches)} batches landed, {len(batches) - len(pending)} fully loaded, {len(pending)} pending")


@app.command()
def doctor(lake: LakeOption = None, target: TargetOption = None) -> None:
    """Pre-flight checks (credentials, bucket, probe object, Redshift endpoint, COPY role), each with its fix."""
    from loader.doctor import run_checks

    settings = _settings(lake_url=lake, warehouse_target=target)
    failed = 0
    for check in run_checks(settings):
        mark = "[green]ok[/]  " if check.ok else "[red]FAIL[/]"
        err.print(f"{mark} {check.name}: {check.detail}", highlight=False)
        if not check.ok:
            failed += 1
            err.print(f"       fix: {check.fix}", highlight=False)
    raise typer.Exit(1 if failed else 0)


@app.command()
def export(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for csv/<table>.csv and parquet/<table>.parquet.")
    ] = Path("exports"),
    database: Annotated[
        Path | None,
        typer.Option("--database", help="DuckDB file to read marts from. Default: DUCKDB_PATH (or a BI snapshot)."),
    ] = None,
) -> None:
    """Write every table of the `marts` schema to CSV and Parquet, atomically."""
    from loader.export import export_marts

    settings = _settings()
    try:
        written = export_marts(database or settings.duckdb_path, out_dir)
    except LoaderError as error:
        _fail(error)
    for item in written:
        err.print(
            f"{item.table}: {item.rows:,} rows -> {item.csv} ({item.csv_bytes:,} bytes), {item.parquet} "
            f"({item.parquet_bytes:,} bytes)",
            highlight=False,
        )
    err.print(f"exported {len(written)} tables, {sum(i.rows for i in written):,} rows to {out_dir}", highlight=False)


def main() -> None:
    app()


if __name__ == "__main__":
    sys.exit(main())
