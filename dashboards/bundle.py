"""Turn the dashboard definition into a Superset asset bundle: {path in the zip: YAML document}.

UUIDs are derived from the definition's keys, so every apply names the same objects and Superset's
import overwrites them in place instead of adding copies. Charts get small local ids (1, 2, ...) in
the layout; Superset's import maps them to its own ids, and `normalise` maps both back to UUIDs so
that what we want and what Superset holds can be compared.
"""

from __future__ import annotations

import copy
import re
import uuid
from typing import Any

from dashboards.definition import Definition, NativeFilter
from dashboards.settings import BiSource, DashboardSettings

VERSION = "1.0.0"
_NAMESPACE = uuid.UUID("6b0e1c58-3f0e-4e4e-9a57-5f3b0b7d2a10")
_TEMPORAL_TYPE = re.compile(r"^(DATE|TIME|TIMESTAMP|DATETIME)", re.IGNORECASE)


def asset_uuid(kind: str, key: str) -> str:
    """The stable UUID of one object of the definition."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{key}"))


def _file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_")


def database_config(definition: Definition, settings: DashboardSettings) -> dict[str, Any]:
    """The connection: the DuckDB snapshot opened read-only, or Redshift (password passed apart)."""
    extra: dict[str, Any] = {"allows_virtual_table_explore": True}
    if settings.bi_source is BiSource.DUCKDB:
        # Read-only: the snapshot is replaced after each build, never written through Superset.
        extra["engine_params"] = {"connect_args": {"read_only": True}}
    return {
        "database_name": definition.database.name,
        "sqlalchemy_uri": settings.database_uri(),
        "cache_timeout": None,
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "extra": extra,
        "uuid": asset_uuid("database", definition.database.name),
        "version": VERSION,
    }


def _column(column: dict[str, Any], label: str | None) -> dict[str, Any]:
    column_type = str(column["type"])
    return {
        "column_name": column["name"],
        "type": column_type,
        "is_dttm": bool(_TEMPORAL_TYPE.match(column_type)),
        "is_active": True,
        "groupby": True,
        "filterable": True,
        "expression": None,
        "verbose_name": label,
        "description": column.get("comment"),
        "python_date_format": None,
    }


def dataset_config(definition: Definition, table: str, columns: list[dict[str, Any]]) -> dict[str, Any]:
    """One mart as a dataset: its columns as the warehouse reports them, the metrics the definition names."""
    dataset = definition.datasets[table]
    names = {column["name"] for column in columns}
    unknown = sorted(({dataset.time_column} | set(dataset.labels)) - names - {None})
    if unknown:
        raise ValueError(f"dataset {table!r}: columns {unknown} are not among its columns {sorted(names)}")
    return {
        "table_name": table,
        "main_dttm_col": dataset.time_column,
        "description": None,
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": None,
        "schema": dataset.schema_,
        "sql": None,
        "params": None,
        "template_params": None,
        "filter_select_enabled": True,
        "fetch_values_predicate": None,
        "extra": None,
        "normalize_columns": False,
        "always_filter_main_dttm": False,
        "uuid": asset_uuid("dataset", table),
        "metrics": [
            {
                "metric_name": name,
                "verbose_name": metric.label,
                "metric_type": None,
                "expression": metric.expression,
                "description": None,
                "d3format": metric.format,
                "extra": None,
                "warning_text": None,
            }
            for name, metric in dataset.metrics.items()
        ],
        "columns": [_column(column, dataset.labels.get(column["name"])) for column in columns],
        "version": VERSION,
        "database_uuid": asset_uuid("database", definition.database.name),
    }


def chart_config(definition: Definition, key: str) -> dict[str, Any]:
    """One chart: its form data plus a time-range filter on the dataset's time column."""
    chart = definition.charts[key]
    time_column = definition.datasets[chart.dataset].time_column
    params = {"viz_type": chart.viz_type, **copy.deepcopy(chart.params)}
    params["adhoc_filters"] = (
        [
            {
                "clause": "WHERE",
                "subject": time_column,
                "operator": "TEMPORAL_RANGE",
                "comparator": "No filter",
                "expressionType": "SIMPLE",
            }
        ]
        if time_column
        else []
    )
    return {
        "slice_name": chart.title,
        "description": None,
        "certified_by": None,
        "certification_details": None,
        "viz_type": chart.viz_type,
        "params": params,
        "query_context": None,
        "cache_timeout": None,
        "uuid": asset_uuid("chart", key),
        "version": VERSION,
        "dataset_uuid": asset_uuid("dataset", chart.dataset),
    }


def _position(definition: Definition, local_ids: dict[str, int]) -> dict[str, Any]:
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": definition.dashboard.title}},
    }
    for number, row in enumerate(definition.layout, start=1):
        row_id = f"ROW-{number}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {
            "type": "ROW",
            "id": row_id,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        for key, width in row.charts:
            chart_id = f"CHART-{key}"
            position[row_id]["children"].append(chart_id)
            position[chart_id] = {
                "type": "CHART",
                "id": chart_id,
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID", row_id],
                "meta": {
                    "width": width,
                    "height": row.height,
                    "chartId": local_ids[key],
                    "uuid": asset_uuid("chart", key),
                    "sliceName": definition.charts[key].title,
                },
            }
    return position


def _charts_reached(definition: Definition, native_filter: NativeFilter, columns: dict[str, set[str]]) -> set[str]:
    """Charts a filter can act on: a time filter needs a time column, a select filter its column."""
    if native_filter.type == "time":
        return {key for key, chart in definition.charts.items() if definition.datasets[chart.dataset].time_column}
    return {key for key, chart in definition.charts.items() if native_filter.column in columns[chart.dataset]}


def _native_filter(
    definition: Definition, key: str, columns: dict[str, set[str]], local_ids: dict[str, int]
) -> dict[str, Any]:
    native_filter = definition.filters[key]
    reached = _charts_reached(definition, native_filter, columns)
    common = {
        "id": f"NATIVE_FILTER-{key}",
        "name": native_filter.name,
        "type": "NATIVE_FILTER",
        "description": "",
        "cascadeParentIds": [],
        "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
        "scope": {
            "rootPath": ["ROOT_ID"],
            "excluded": sorted(local_ids[chart] for chart in definition.charts if chart not in reached),
        },
    }
    if native_filter.type == "time":
        return {**common, "filterType": "filter_time", "targets": [{}], "controlValues": {"enableEmptyFilter": False}}
    return {
        **common,
        "filterType": "filter_select",
        "targets": [
            {"datasetUuid": asset_uuid("dataset", native_filter.dataset), "column": {"name": native_filter.column}}
        ],
        "controlValues": {
            "enableEmptyFilter": False,
            "defaultToFirstItem": False,
            "multiSelect": True,
            "searchAllOptions": False,
            "inverseSelection": False,
        },
    }


def dashboard_config(definition: Definition, columns: dict[str, set[str]]) -> dict[str, Any]:
    """The dashboard: layout, native filters, and the metadata Superset expects."""
    local_ids = {key: number for number, key in enumerate(definition.charts, start=1)}
    return {
        "dashboard_title": definition.dashboard.title,
        "description": definition.dashboard.description,
        "css": "",
        "slug": definition.dashboard.slug,
        "certified_by": None,
        "certification_details": None,
        "published": True,
        "uuid": asset_uuid("dashboard", definition.dashboard.slug),
        "position": _position(definition, local_ids),
        "metadata": {
            "native_filter_configuration": [
                _native_filter(definition, key, columns, local_ids) for key in definition.filters
            ],
            "refresh_frequency": 0,
            "timed_refresh_immune_slices": [],
            "expanded_slices": {},
            "label_colors": {},
            "color_scheme": "",
            "cross_filters_enabled": False,
        },
        "version": VERSION,
    }


def build_bundle(
    definition: Definition, settings: DashboardSettings, columns: dict[str, list[dict[str, Any]]]
) -> dict[str, dict[str, Any]]:
    """Every file of the import bundle; `columns` maps each mart to its columns as the warehouse reports them."""
    database = database_config(definition, settings)
    files = {
        "metadata.yaml": {"version": VERSION, "type": "assets"},
        f"databases/{_file_name(definition.database.name)}.yaml": database,
    }
    for table in definition.datasets:
        files[f"datasets/{_file_name(definition.database.name)}/{table}.yaml"] = dataset_config(
            definition, table, columns[table]
        )
    for key in definition.charts:
        files[f"charts/{key}.yaml"] = chart_config(definition, key)
    column_names = {table: {column["name"] for column in table_columns} for table, table_columns in columns.items()}
    files[f"dashboards/{_file_name(definition.dashboard.title)}.yaml"] = dashboard_config(definition, column_names)
    return files
