"""Apply the dashboard definition to a running Superset, idempotently.

Each apply compares what the definition wants with what Superset holds (its own export, ids mapped
back to UUIDs) object by object, and imports the bundle only when something is missing or differs.
A second apply therefore writes nothing and reports every object unchanged.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from dashboards.bundle import asset_uuid, build_bundle, database_config
from dashboards.client import SupersetClient
from dashboards.definition import Definition
from dashboards.settings import DashboardSettings


class MartMissingError(RuntimeError):
    """A mart the dashboard reads is not in the warehouse Superset is connected to."""


@dataclass
class ApplyReport:
    """Object paths of the bundle, by what the apply did to them."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.created)} created, {len(self.changed)} changed, {len(self.unchanged)} unchanged"


def _chart_ids_to_uuids(dashboard: dict[str, Any]) -> dict[int, str]:
    return {
        item["meta"]["chartId"]: item["meta"]["uuid"]
        for item in dashboard.get("position", {}).values()
        if isinstance(item, dict) and item.get("type") == "CHART" and "uuid" in item.get("meta", {})
    }


def normalise(config: dict[str, Any]) -> dict[str, Any]:
    """The parts of an object that do not depend on Superset's database ids."""
    config = copy.deepcopy(config)
    config.pop("id", None)
    # Superset exports a dataset's columns and metrics in its own order.
    for key, name in (("columns", "column_name"), ("metrics", "metric_name")):
        if isinstance(config.get(key), list):
            config[key] = sorted(config[key], key=lambda item, name=name: item[name])
    if "params" in config and isinstance(config["params"], dict):
        config["params"].pop("datasource", None)
        config["params"].pop("slice_id", None)
    if "position" in config:
        uuids = _chart_ids_to_uuids(config)
        for item in config["position"].values():
            if isinstance(item, dict):
                item.get("meta", {}).pop("chartId", None)
        for native_filter in config.get("metadata", {}).get("native_filter_configuration", []):
            scope = native_filter.get("scope", {})
            scope["excluded"] = sorted(uuids.get(chart_id, str(chart_id)) for chart_id in scope.get("excluded", []))
            native_filter.pop("chartsInScope", None)
            native_filter.pop("tabsInScope", None)
    return config


def is_subset(wanted: Any, held: Any) -> bool:
    """Whether `held` has every value `wanted` sets; keys Superset adds with its defaults are not ours to judge."""
    if isinstance(wanted, dict):
        return isinstance(held, dict) and all(
            key in held and is_subset(value, held[key]) for key, value in wanted.items()
        )
    if isinstance(wanted, list):
        return (
            isinstance(held, list)
            and len(wanted) == len(held)
            and all(is_subset(one, other) for one, other in zip(wanted, held, strict=True))
        )
    return wanted == held


def _held_by_uuid(client: SupersetClient) -> dict[str, dict[str, Any]]:
    return {str(config["uuid"]): normalise(config) for config in client.export_assets().values() if "uuid" in config}


def _compare(files: dict[str, dict[str, Any]], held: dict[str, dict[str, Any]], report: ApplyReport) -> None:
    for path, config in files.items():
        if "uuid" not in config:
            continue
        current = held.get(config["uuid"])
        if current is None:
            report.created.append(path)
        elif is_subset(normalise(config), current):
            report.unchanged.append(path)
        else:
            report.changed.append(path)


def _database_id(client: SupersetClient, name: str) -> int:
    return client.find("database", database_name=name)[0]["id"]


def _mart_columns(client: SupersetClient, definition: Definition, database_id: int) -> dict[str, list[dict]]:
    """Each mart's columns as the warehouse reports them; a clear error when a mart is not there yet."""
    missing = []
    for schema in sorted({dataset.schema_ for dataset in definition.datasets.values()}):
        tables = {row["table_name"] for row in client.find_tables(database_id, schema)}
        missing += [
            f"{schema}.{table}"
            for table, dataset in definition.datasets.items()
            if dataset.schema_ == schema and table not in tables
        ]
    if missing:
        raise MartMissingError(
            f"marts {missing} are not in the BI database: build the marts and publish the BI snapshot first "
            "(`make run`), or check BI_SOURCE / BI_DUCKDB_PATH"
        )
    return {
        table: client.table_columns(database_id, dataset.schema_, table)
        for table, dataset in definition.datasets.items()
    }


def apply(
    client: SupersetClient, definition: Definition, settings: DashboardSettings, *, force: bool = False
) -> ApplyReport:
    """Make Superset hold exactly what the definition says; `force` re-imports even when nothing differs
    (a changed REDSHIFT_PASSWORD, which Superset never shows back, needs it)."""
    password = settings.database_password()
    held = _held_by_uuid(client)

    # The database first: its columns come through it, and the datasets list them.
    database = database_config(definition, settings)
    if database["uuid"] not in held or not is_subset(normalise(database), held[database["uuid"]]) or force:
        files = {"metadata.yaml": {"version": "1.0.0", "type": "assets"}, "databases/db.yaml": database}
        client.import_assets(files, passwords={"databases/db.yaml": password} if password else {})

    bundle = build_bundle(
        definition, settings, _mart_columns(client, definition, _database_id(client, database["database_name"]))
    )
    report = ApplyReport()
    _compare(bundle, held, report)
    if report.created or report.changed or force:
        database_path = next(path for path in bundle if path.startswith("databases/"))
        client.import_assets(bundle, passwords={database_path: password} if password else {})
    return report


def dashboard_url(client: SupersetClient, definition: Definition) -> str:
    """The dashboard's address (by slug, stable across applies)."""
    return f"{client.base_url}/superset/dashboard/{definition.dashboard.slug}/"


def dashboard_uuid(definition: Definition) -> str:
    return asset_uuid("dashboard", definition.dashboard.slug)
