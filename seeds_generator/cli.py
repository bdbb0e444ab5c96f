"""`python -m seeds_generator`: the command line over `seeds_generator.generate`.

Usage errors (bad numbers, dates, folders) print one line on stderr and exit with code 2.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from seeds_generator import params
from seeds_generator.errors import GeneratorUsageError
from seeds_generator.request import validate

USAGE_ERROR = 2

app = typer.Typer(add_completion=False, rich_markup_mode=None)


@app.command(help="Write deterministic raw CSVs of a simulated shop (dirty by design) plus _generation.json.")
def run(
    out: Annotated[Path, typer.Option("--out", help="Folder to write <table>.csv and _generation.json into.")],
    scale: Annotated[
        float,
        typer.Option(help="Volume multiplier (> 0, may be fractional): scale 1 over 30 days is about 20,000 rows."),
    ] = 1.0,
    seed: Annotated[int, typer.Option(help="Random seed: same seed and arguments give byte-identical files.")] = 42,
    start_date: Annotated[
        str,
        typer.Option(
            help=f"First day to write, YYYY-MM-DD, not before the opening day {params.OPENING_DATE}. "
            "Later days replay the previous days' pending orders first, so runs chain seamlessly."
        ),
    ] = params.OPENING_DATE.isoformat(),
    days: Annotated[int, typer.Option(help="Number of days to write, at least 1.")] = params.DEFAULT_DAYS,
    clean: Annotated[
        bool, typer.Option("--clean", help="Write no dirty rows (no duplicates, noise, orphans or late rows).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print no summary line.")] = False,
) -> None:
    validate(out, scale, seed, start_date, days, clean)  # before the heavy imports: usage errors answer at once
    from seeds_generator.engine import TRUTH_FILE, generate

    started = time.perf_counter()
    truth = generate(out, scale=scale, seed=seed, start_date=start_date, days=days, clean=clean)
    if not quiet:
        rows = sum(entry["rows"] for entry in truth["files"].values())
        size = sum(entry["bytes"] for entry in truth["files"].values())
        print(
            f"wrote {rows:,} rows ({size / 1e6:,.1f} MB, {truth['defect_rows_total']:,} dirty) "
            f"to {out}/ in {time.perf_counter() - started:.1f} s; truth in {TRUTH_FILE}",
            file=sys.stderr,
        )


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; usage errors become one line on stderr and exit code 2, never a traceback."""
    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="seeds_generator", standalone_mode=False)
    except GeneratorUsageError as error:
        print(f"seeds_generator: error: {error}", file=sys.stderr)
        return USAGE_ERROR
    except typer.TyperException as error:  # typer's (vendored click) usage errors: bad types, missing options
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        print(f"seeds_generator: error: {' '.join(message.split())}", file=sys.stderr)
        return USAGE_ERROR
    except typer.Abort:
        print("seeds_generator: aborted", file=sys.stderr)
        return 130
    return code if isinstance(code, int) else 0
