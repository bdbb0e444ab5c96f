"""Fast checks of the dashboard-as-code: it agrees with the dbt marts, its bundle is stable, and the
comparison that makes applies idempotent tells a change from Superset's own ids and defaults."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from dashboards.bundle import asset_uuid, build_bundle
from dashboards.definition import Definition, load_definition
from dashboards.exposure import exposure_document
from dashboards.provision import is_subset, normalise
from dashboards.settings import get_settings

REPO = Path(__file__).resolve().parents[2]
#: Where the public marts live; `semantic/` holds MetricFlow's plumbing, not marts.
MART_FOLDERS = ("core", "reports")


def _dbt_marts() -> dict[str, set[str]]:
    """Each public mart's columns, from the dbt project's YAML."""
    marts = {}
    for folder in MART_FOLDERS:
        for path in (REPO / "dbt_project/models/marts" / folder).glob("_*.yml"):
            for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
                marts[model["name"]] = {column["name"] for column in model.get("columns", [])}
    return marts


@pytest.fixture(scope="module")
def definition() -> Definition:
    return load_definition()


def _columns_from_dbt() -> dict[str, list[dict]]:
    """Columns shaped as Superset's table metadata reports them (name and type), taken from dbt's YAML."""
    return {
        table: [{"name": name, "type": "DATE" if name.endswith(("_date", "_month")) else "VARCHAR"} for name in names]
        for table, names in _dbt_marts().items()
    }


def test_every_mart_has_a_dataset(definition: Definition) -> None:
    assert set(_dbt_marts()) == set(definition.datasets)


def test_every_column_the_dashboard_names_is_in_the_marts(definition: Definition) -> None:
    marts = _dbt_marts()
    named: list[tuple[str, str]] = []
    for table, dataset in definition.datasets.items():
        named += [(table, column) for column in [dataset.time_column, *dataset.labels] if column]
    for chart in definition.charts.values():
        params = chart.params
        for key in ("x_axis", "groupby"):
            values = params.get(key) or []
            named += [(chart.dataset, column) for column in ([values] if isinstance(values, str) else values)]
    named += [(f.dataset, f.column) for f in definition.filters.values() if f.dataset and f.column]
    unknown = [f"{table}.{column}" for table, column in named if column not in marts[table]]
    assert unknown == []


def test_a_broken_reference_is_reported_with_its_place(definition: Definition) -> None:
    raw = definition.model_dump(by_alias=True)
    raw["charts"]["revenue"]["dataset"] = "fct_nothing"
    raw["charts"]["orders"]["params"]["metric"] = "no_such_metric"
    raw["layout"][0]["charts"].append(["revenue", 1])
    with pytest.raises(ValueError) as error:
        Definition.model_validate(raw).check()
    message = str(error.value)
    assert "chart 'revenue': unknown dataset 'fct_nothing'" in message
    assert "chart 'orders': dataset 'fct_order_items' defines no metric 'no_such_metric'" in message
    assert "chart 'revenue' placed twice" in message


def test_a_typo_in_the_file_fails_before_superset_is_touched(tmp_path: Path) -> None:
    text = (REPO / "dashboards/definition/overview.yml").read_text(encoding="utf-8")
    broken = tmp_path / "overview.yml"
    broken.write_text(text.replace("    viz_type: big_number_total", "    viz_typo: big_number_total", 1))
    with pytest.raises(ValueError, match="viz_typo"):
        load_definition(broken)


def test_the_bundle_is_the_same_every_time(definition: Definition) -> None:
    settings = get_settings(bi_duckdb_path=Path("/data/bi.duckdb"))
    first = build_bundle(definition, settings, _columns_from_dbt())
    second = build_bundle(load_definition(), settings, _columns_from_dbt())
    assert first == second
    uuids = [config["uuid"] for config in first.values() if "uuid" in config]
    assert len(uuids) == len(set(uuids)) == 1 + len(definition.datasets) + len(definition.charts) + 1


def test_the_duckdb_connection_is_read_only_and_absolute(definition: Definition) -> None:
    bundle = build_bundle(definition, get_settings(bi_duckdb_path=Path("snap.duckdb")), _columns_from_dbt())
    database = next(config for path, config in bundle.items() if path.startswith("databases/"))
    assert database["sqlalchemy_uri"] == f"duckdb:///{Path('snap.duckdb').resolve()}"
    assert database["extra"]["engine_params"] == {"connect_args": {"read_only": True}}
    assert database["allow_dml"] is False


def test_redshift_uses_the_loaders_variables_and_keeps_the_password_out_of_the_uri(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BI_SOURCE", "redshift")
    monkeypatch.setenv("REDSHIFT_HOST", "wg.123.eu-west-1.redshift-serverless.amazonaws.com")
    monkeypatch.setenv("REDSHIFT_DATABASE", "shop")
    monkeypatch.setenv("REDSHIFT_USER", "bi_reader")
    monkeypatch.setenv("REDSHIFT_PASSWORD", "s3cr3t/pw")
    settings = get_settings()
    uri = settings.database_uri()
    assert (
        uri == "redshift+psycopg2://bi_reader:XXXXXXXXXX@wg.123.eu-west-1.redshift-serverless.amazonaws.com:5439/shop"
    )
    assert "s3cr3t" not in uri
    assert settings.database_password() == "s3cr3t/pw"


def test_redshift_without_a_host_says_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BI_SOURCE", "redshift")
    monkeypatch.delenv("REDSHIFT_HOST", raising=False)
    with pytest.raises(ValueError, match="REDSHIFT_HOST"):
        get_settings().database_uri()


def _as_superset_exports(dashboard: dict, ids: dict[str, int]) -> dict:
    """What Superset's export gives back: its own chart ids in the layout and the filter scopes, plus defaults."""
    held = copy.deepcopy(dashboard)
    local_to_uuid = {
        item["meta"]["chartId"]: item["meta"]["uuid"]
        for item in held["position"].values()
        if isinstance(item, dict) and item.get("type") == "CHART"
    }
    for item in held["position"].values():
        if isinstance(item, dict) and item.get("type") == "CHART":
            item["meta"]["chartId"] = ids[item["meta"]["uuid"]]
    for native_filter in held["metadata"]["native_filter_configuration"]:
        native_filter["scope"]["excluded"] = [ids[local_to_uuid[i]] for i in native_filter["scope"]["excluded"]]
        native_filter["chartsInScope"] = [1000]
    held["metadata"]["shared_label_colors"] = []
    held["id"] = 77
    return held


def test_superset_ids_and_defaults_do_not_count_as_changes(definition: Definition) -> None:
    bundle = build_bundle(definition, get_settings(), _columns_from_dbt())
    dashboard = next(config for path, config in bundle.items() if path.startswith("dashboards/"))
    ids = {asset_uuid("chart", key): 500 + number for number, key in enumerate(reversed(list(definition.charts)))}
    held = normalise(_as_superset_exports(dashboard, ids))
    assert is_subset(normalise(dashboard), held)


def test_an_edit_in_superset_counts_as_a_change(definition: Definition) -> None:
    bundle = build_bundle(definition, get_settings(), _columns_from_dbt())
    dashboard = next(config for path, config in bundle.items() if path.startswith("dashboards/"))
    ids = {asset_uuid("chart", key): 500 + number for number, key in enumerate(definition.charts)}
    moved = _as_superset_exports(dashboard, ids)
    moved["position"]["CHART-revenue"]["meta"]["width"] = 6
    assert not is_subset(normalise(dashboard), normalise(moved))
    unscoped = _as_superset_exports(dashboard, ids)
    unscoped["metadata"]["native_filter_configuration"][1]["scope"]["excluded"] = []
    assert not is_subset(normalise(dashboard), normalise(unscoped))


def test_datasets_compare_whatever_order_superset_lists_columns_in(definition: Definition) -> None:
    bundle = build_bundle(definition, get_settings(), _columns_from_dbt())
    dataset = bundle["datasets/E_commerce_marts/fct_orders.yaml"]
    held = copy.deepcopy(dataset)
    held["columns"].reverse()
    held["metrics"].reverse()
    held["columns"][0]["id"] = 12
    assert is_subset(normalise(dataset), normalise(held))
    held["metrics"][0]["expression"] = "SUM(1)"
    assert not is_subset(normalise(dataset), normalise(held))


def test_the_dbt_exposure_lists_the_marts_the_dashboard_reads(definition: Definition) -> None:
    wanted = exposure_document(definition, url="")["exposures"][0]
    placed = [
        exposure
        for path in (REPO / "dbt_project/models").rglob("*.yml")
        for exposure in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("exposures", [])
        if exposure.get("name") == wanted["name"]
    ]
    assert placed, (
        "no dbt exposure for the dashboard: write the output of `python -m dashboards exposure` to "
        "dbt_project/models/marts/_dashboard__exposures.yml"
    )
    assert sorted(placed[0]["depends_on"]) == sorted(wanted["depends_on"])
