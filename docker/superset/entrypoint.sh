#!/bin/sh
# The `superset` service: migrate the metadata DB, make sure the admin exists, then serve on all
# interfaces. The dashboard itself is applied by the `superset-init` job through Superset's API
# (python -m dashboards provision), once the pipeline has published the first BI snapshot.
set -eu

: "${SUPERSET_ADMIN_USER:=admin}"
: "${SUPERSET_ADMIN_PASSWORD:?SUPERSET_ADMIN_PASSWORD is required}"

superset db upgrade
# The password goes through the prompt on stdin, never on a command line `ps` can show. An existing
# admin is left as it is.
printf '%s\n%s\n' "$SUPERSET_ADMIN_PASSWORD" "$SUPERSET_ADMIN_PASSWORD" | superset fab create-admin \
    --username "$SUPERSET_ADMIN_USER" --email "$SUPERSET_ADMIN_USER@localhost" --firstname Admin --lastname User
superset init

exec gunicorn --bind "0.0.0.0:${SUPERSET_PORT:-8088}" --workers 1 --worker-class gthread --threads 8 \
    --timeout 120 --access-logfile - --error-logfile - "superset.app:create_app()"
