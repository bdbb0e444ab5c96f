"""`python -m dashboards`: install and serve Superset with the dashboard, or provision a running one."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Annotated

import typer
from rich.console import Console

from dashboards.client import SupersetClient, SupersetError
from dashboards.definition import load_definition
from dashboards.exposure import render as render_exposure
from dashboards.provision import MartMissingError, apply, dashboard_url
from dashboards.server import SupersetStartError, install, running_superset
from dashboards.settings import BiSource, get_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console(stderr=True)


@app.command("install")
def install_command() -> None:
    """Create Superset's own virtual environment (.superset/venv) from dashboards/requirements-superset.lock."""
    install(get_settings())


@app.command()
def serve(
    port: Annotated[int | None, typer.Option(help="Port to listen on. Default: SUPERSET_PORT, else 8088.")] = None,
    source: Annotated[
        BiSource | None, typer.Option(help="Read the DuckDB snapshot or Redshift. Default: BI_SOURCE, else duckdb.")
    ] = None,
) -> None:
    """Start Superset on 127.0.0.1 with the dashboard provisioned; runs until Ctrl-C."""
    settings = get_settings(superset_port=port, bi_source=source)
    definition = load_definition()
    if settings.bi_source is BiSource.DUCKDB and not settings.bi_duckdb_path.exists():
        console.print(f"[red]No BI snapshot at {settings.bi_duckdb_path}: run `make run` first.[/red]")
        raise typer.Exit(1)
    console.print(f"Starting Superset on {settings.base_url} (installs it the first time) ...")
    with running_superset(settings) as client:
        report = apply(client, definition, settings)
        console.print(f"Dashboard provisioned: {report.summary()}")
        console.print(f"[bold]{dashboard_url(client, definition)}[/bold]  (login: {settings.superset_admin_user})")
        console.print("Ctrl-C stops Superset.")
        stopped = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
        try:
            stopped.wait()
        except KeyboardInterrupt:
            console.print("Stopping Superset.")


@app.command()
def provision(
    url: Annotated[
        str | None, typer.Option(help="Superset's address. Default: http://SUPERSET_HOST:SUPERSET_PORT.")
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Re-import even when nothing differs (e.g. after changing REDSHIFT_PASSWORD).")
    ] = False,
) -> None:
    """Apply the dashboard definition to a running Superset; a second apply changes nothing."""
    settings = get_settings()
    client = SupersetClient(url or settings.base_url)
    client.login(settings.superset_admin_user, settings.superset_admin_password.get_secret_value())
    report = apply(client, load_definition(), settings, force=force)
    console.print(report.summary())


@app.command()
def exposure() -> None:
    """Print the dbt exposure of the dashboard (the marts it reads), for dbt_project/models/marts/."""
    definition = load_definition()
    local_url = f"http://127.0.0.1:8088/superset/dashboard/{definition.dashboard.slug}/"
    typer.echo(render_exposure(definition, local_url), nl=False)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        app()
    except (SupersetError, SupersetStartError, MartMissingError, ValueError) as error:
        console.print(f"[red]{error}[/red]")
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
