"""The contract is self-consistent and dbt's source definitions say exactly what it says."""

import yaml

from shop_contract import TABLES, TABLES_BY_NAME, ColumnType, Dialect
from shop_contract.dbt_sources import SOURCES_FILE, render


def test_committed_dbt_sources_are_rendered_from_the_contract():
    assert SOURCES_FILE.read_text(encoding="utf-8") == render(), (
        "dbt sources drifted from shop_contract: run `python -m shop_contract.dbt_sources --write`"
    )


def test_dbt_source_columns_match_contract_names_order_and_types():
    source = yaml.safe_load(SOURCES_FILE.read_text(encoding="utf-8"))["sources"][0]
    dbt_tables = {table["name"]: table for table in source["tables"]}
    assert list(dbt_tables) == [table.name for table in TABLES]
    for table in TABLES:
        dbt_columns = [(c["name"], c["data_type"]) for c in dbt_tables[table.name]["columns"]]
        expected = [(c.name, c.sql_type(Dialect.POSTGRES)) for c in table.columns]
        assert dbt_columns[: len(expected)] == expected
        assert [name for name, _ in dbt_columns[len(expected) :]] == ["_load_id", "_loaded_at"]


def test_keys_and_references_point_at_real_columns():
    for table in TABLES:
        assert table.column(table.primary_key).nullable is False
        table.column(table.version_column)
        for column in table.foreign_keys:
            parent_name, parent_column = column.references.split(".")
            assert TABLES_BY_NAME[parent_name].primary_key == parent_column
            # Parents come first so loaders and generators can walk TABLES in order.
            assert TABLES.index(TABLES_BY_NAME[parent_name]) < TABLES.index(table)


def test_every_column_is_described_and_text_has_a_redshift_length():
    for table in TABLES:
        assert table.description
        for column in table.columns:
            assert column.description.endswith("."), f"{table.name}.{column.name}"
            if column.type is ColumnType.VARCHAR:
                assert column.sql_type(Dialect.REDSHIFT) == f"varchar({column.max_length})"
                assert column.max_length and column.max_length > 0
