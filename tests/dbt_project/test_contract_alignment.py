"""The dbt project says what the raw contract says: enums, bounds, defect kinds, and the age-group seed.

Fast (no warehouse): YAML and CSV files read directly, plus one `dbt parse` for coverage of docs and tests.
"""

from __future__ import annotations

import csv
import json

import pytest
import yaml

from shop_contract import DEFECT_KINDS, TABLES_BY_NAME
from tests.dbt_project.conftest import PROJECT_DIR, run_dbt

#: (model, column) -> contract `table.column` whose accepted values the model's YAML must repeat.
ACCEPTED_VALUES = {
    ("stg_shop__customers", "gender"): "customers.gender",
    ("stg_shop__customers", "acquisition_channel"): "customers.acquisition_channel",
    ("stg_shop__products", "category"): "products.category",
    ("stg_shop__orders", "status"): "orders.status",
    ("stg_shop__orders", "payment_method"): "orders.payment_method",
    ("fct_orders", "status"): "orders.status",
    ("fct_orders", "payment_method"): "orders.payment_method",
    ("fct_order_items", "order_status"): "orders.status",
    ("fct_order_items", "category"): "products.category",
    ("fct_reviews", "category"): "products.category",
    ("dim_customers", "gender"): "customers.gender",
    ("dim_customers", "acquisition_channel"): "customers.acquisition_channel",
    ("dim_products", "category"): "products.category",
    ("rpt_daily_sales_by_category_age_group", "category"): "products.category",
}


def model_yaml() -> dict[str, dict]:
    models = {}
    for path in (PROJECT_DIR / "models").rglob("*.yml"):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            models[model["name"]] = model
    return models


def contract_column(reference: str):
    table, column = reference.split(".")
    return TABLES_BY_NAME[table].column(column)


def test_accepted_values_in_yaml_are_the_contracts():
    models = model_yaml()
    for (model, column_name), reference in ACCEPTED_VALUES.items():
        column = next(c for c in models[model]["columns"] if c["name"] == column_name)
        [values] = [t["accepted_values"]["arguments"]["values"] for t in column["data_tests"] if "accepted_values" in t]
        assert values == list(contract_column(reference).accepted_values), f"{model}.{column_name}"


def test_quarantine_bounds_are_the_contracts():
    bounds = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]["shop_value_bounds"]
    assert set(bounds) == {"order_items.quantity", "reviews.rating"}
    for reference, (low, high) in bounds.items():
        column = contract_column(reference)
        assert (low, high) == (column.min_value, column.max_value), reference


def test_data_quality_checks_seed_lists_every_contract_defect_where_it_is_injected():
    with (PROJECT_DIR / "seeds" / "data_quality_checks.csv").open() as file:
        rows = [row for row in csv.DictReader(file) if row["is_contract_defect"] == "true"]
    seeded = {(row["defect_kind"], row["table_name"], row["handling"]) for row in rows}
    declared = {
        (kind.name, target.split(".")[0], kind.handling.value) for kind in DEFECT_KINDS for target in kind.targets
    }
    assert seeded == declared


def test_unit_tests_use_the_age_groups_seed_as_it_is():
    with (PROJECT_DIR / "seeds" / "age_groups.csv").open() as file:
        seed = [{k: (int(v) if v.isdigit() else v or None) for k, v in row.items()} for row in csv.DictReader(file)]
    for path in (PROJECT_DIR / "models").rglob("*unit_tests.yml"):
        for unit_test in yaml.safe_load(path.read_text())["unit_tests"]:
            for given in unit_test["given"]:
                if given["input"] == "ref('age_groups')":
                    assert given["rows"] == seed, f"{unit_test['name']} in {path.name}"


@pytest.mark.slow
def test_every_model_documented_every_mart_column_described_every_primary_key_tested(tmp_path):
    run_dbt(["parse"], target_path=tmp_path, env={"DUCKDB_PATH": str(tmp_path / "parse.duckdb")})
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    nodes = manifest["nodes"].values()
    models = {n["unique_id"]: n for n in nodes if n["resource_type"] == "model"}
    tested = {
        (n["attached_node"], n["test_metadata"]["name"] if n.get("test_metadata") else None)
        for n in nodes
        if n["resource_type"] == "test" and n.get("attached_node")
    }
    for unique_id, model in models.items():
        assert model["description"], f"{unique_id} has no description"
        kinds = {name for node, name in tested if node == unique_id}
        assert kinds & {"unique", "unique_combination_of_columns"}, f"{unique_id} has no tested primary key"
        if "/marts/" in model["original_file_path"] and model["name"] != "metricflow_time_spine":
            assert model["contract"]["enforced"], unique_id
            for column in model["columns"].values():
                assert column["description"] and column["data_type"], f"{unique_id}.{column['name']}"
    for source in manifest["sources"].values():
        assert source["description"], source["unique_id"]
        if source["name"] != "loader_rejected_rows":
            assert source["loaded_at_field"] and source["freshness"]["error_after"]["count"], source["unique_id"]
    for exposure in manifest["exposures"].values():
        for parent in exposure["depends_on"]["nodes"]:
            assert models[parent]["access"] == "public", f"{exposure['name']} reads {parent}"
