"""Render dbt's source definition for the `shop` source from the contract.

The YAML in `dbt_project/models/staging/shop/_shop__sources.yml` is this module's output, committed
so that dbt and readers see it; `tests/shop_contract` fails when it drifts from the contract.
Regenerate with `python -m shop_contract.dbt_sources --write`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from shop_contract.raw_tables import LOAD_ID_COLUMN, LOADED_AT_COLUMN, TABLES, Dialect

SOURCES_FILE = Path(__file__).resolve().parent.parent / "dbt_project/models/staging/shop/_shop__sources.yml"

HEADER = "# Generated from shop_contract by `python -m shop_contract.dbt_sources --write`; do not edit.\n"


def source_definition() -> dict:
    """The `sources:` document: every contract column plus the two columns the loader adds."""
    tables = []
    for table in TABLES:
        columns = [
            {
                "name": column.name,
                "description": column.description,
                "data_type": column.sql_type(Dialect.POSTGRES),
            }
            for column in table.columns
        ]
        columns += [
            {
                "name": LOAD_ID_COLUMN,
                "description": "Batch that brought the row (the loader's load id).",
                "data_type": "varchar",
            },
            {
                "name": LOADED_AT_COLUMN,
                "description": "When the loader committed the row (UTC).",
                "data_type": "timestamp",
            },
        ]
        tables.append({"name": table.name, "description": table.description, "columns": columns})
    return {
        "version": 2,
        "sources": [
            {
                "name": "shop",
                "description": "Raw extracts of the shop's database, landed and loaded as-is by the loader; dirty by design.",
                "schema": "{{ env_var('RAW_SCHEMA', 'raw') }}",
                "loader": "loader (python -m loader)",
                "config": {
                    "loaded_at_field": LOADED_AT_COLUMN,
                    "freshness": {
                        "warn_after": {"count": 1, "period": "day"},
                        "error_after": {"count": 7, "period": "day"},
                    },
                },
                "tables": tables,
            }
        ],
    }


def render() -> str:
    """The YAML text, stable from run to run."""
    return HEADER + yaml.safe_dump(source_definition(), sort_keys=False, width=120, allow_unicode=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {SOURCES_FILE.name} instead of printing it")
    args = parser.parse_args()
    if args.write:
        SOURCES_FILE.parent.mkdir(parents=True, exist_ok=True)
        SOURCES_FILE.write_text(render(), encoding="utf-8")
        print(f"wrote {SOURCES_FILE}")
    else:
        print(render(), end="")


if __name__ == "__main__":
    main()
