#!/bin/sh
# The `docs` service: builds the dbt docs site from the project baked into the image, then serves it.
# No warehouse connection: `dbt parse` writes the manifest (models, columns, tests, lineage, docs) and
# the catalog is left empty, so this never opens DuckDB (one writer only: the pipeline's).
set -eu

target_path=/tmp/dbt-docs
port="${DBT_DOCS_PORT:-8080}"

cd /app
dbt parse --project-dir dbt_project --profiles-dir profiles --target-path "$target_path" --log-path /tmp/dbt-logs --quiet
dbt docs generate --project-dir dbt_project --profiles-dir profiles --target-path "$target_path" \
    --log-path /tmp/dbt-logs --no-compile --empty-catalog --quiet
exec dbt docs serve --project-dir dbt_project --profiles-dir profiles --target-path "$target_path" \
    --host 0.0.0.0 --port "$port" --no-browser
