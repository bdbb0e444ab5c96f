"""Redshift without a Redshift: the project compiles offline and every compiled model parses as Redshift SQL.

Golden checks on the SQL Redshift would be sent stand in for running it (the house rule for Redshift).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dbt_project.conftest import run_dbt

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def compiled_models(tmp_path_factory) -> dict[str, str]:
    """`dbt compile --target redshift --no-populate-cache`, incremental branches included; SQL by model name."""
    target_path: Path = tmp_path_factory.mktemp("redshift") / "target"
    run_dbt(
        ["compile", "--target", "redshift", "--no-populate-cache", "--vars", "{assume_is_incremental: true}"],
        target_path=target_path,
        # Nothing listens here: compiling must not need a connection.
        env={"REDSHIFT_HOST": "127.0.0.1", "REDSHIFT_PORT": "1", "REDSHIFT_PASSWORD": "unused"},
    )
    models = target_path / "compiled" / "ecommerce" / "models"
    return {path.stem: path.read_text() for path in models.rglob("*.sql")}


def test_every_compiled_model_parses_as_redshift_sql(compiled_models):
    import sqlfluff
    from sqlfluff.api.simple import APIParsingError

    assert len(compiled_models) >= 25
    unparsable = {}
    for name, sql in compiled_models.items():
        try:
            sqlfluff.parse(sql, dialect="redshift")
        except APIParsingError as error:
            unparsable[name] = str(error)[:500]
    assert unparsable == {}


def test_redshift_sql_uses_its_own_dialect_where_engines_differ(compiled_models):
    customers = compiled_models["base_shop__customers"]
    assert "regexp_full_match" not in customers and "~ '^" in customers, "POSIX regex, anchored"
    # type_string() would be VARCHAR(256): text keeps the contract's lengths.
    assert "as varchar(254))" in compiled_models["dim_customers"]
    assert "as varchar)" not in compiled_models["fct_order_items"]
    # The incremental branch reads the table's own watermark.
    assert 'from "dev"."marts"."fct_order_items"' in compiled_models["fct_order_items"]
