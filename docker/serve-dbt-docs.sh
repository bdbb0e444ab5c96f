#!/bin/sh
# The `docs` service. The pipeline writes the full docs site (with the warehouse's catalog) after each run
# into DBT_TARGET_PATH, a volume mounted read-only here. Until the first run has, a parse-only site stands
# in: built now from the project in the image, with no warehouse connection (DuckDB has one writer, the
# pipeline), so it shows models, columns, tests and lineage, and no row counts.
set -eu

live="${DBT_TARGET_PATH:-/app/data/dbt-target}"
fallback=/tmp/dbt-docs-fallback

cd /app
dbt parse --project-dir dbt_project --profiles-dir profiles --target-path "$fallback" --log-path /tmp/dbt-logs --quiet
dbt docs generate --project-dir dbt_project --profiles-dir profiles --target-path "$fallback" \
    --log-path /tmp/dbt-logs --no-compile --empty-catalog --quiet
exec python /app/docker/docs_server.py --live "$live" --fallback "$fallback" --port 8080
