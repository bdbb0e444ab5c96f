#!/bin/sh
# The `superset` service: migrate the metadata DB, make sure the admin exists, provision the project's
# dashboard, then serve. Each step is idempotent, so a restart re-applies the dashboard definition.
set -eu

: "${SUPERSET_ADMIN_USERNAME:=admin}"
: "${SUPERSET_ADMIN_PASSWORD:?SUPERSET_ADMIN_PASSWORD is required}"

superset db upgrade
# create-admin leaves an existing user as it is (it says so and exits 0).
superset fab create-admin --username "$SUPERSET_ADMIN_USERNAME" --password "$SUPERSET_ADMIN_PASSWORD" \
    --firstname Superset --lastname Admin --email "$SUPERSET_ADMIN_USERNAME@localhost"
superset init
PROVISION_STEP_PLACEHOLDER

exec gunicorn --bind "0.0.0.0:${SUPERSET_PORT:-8088}" --workers 2 --threads 4 --timeout 120 \
    --access-logfile - --error-logfile - "superset.app:create_app()"
