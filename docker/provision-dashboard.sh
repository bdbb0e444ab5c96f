#!/bin/sh
# The `superset-init` job: apply the dashboard definition (dashboards/definition/) to the running Superset.
# The first attempt usually comes before the pipeline's first run has published the BI snapshot, and
# provisioning refuses to point charts at marts that do not exist yet: so it retries until they do.
set -eu

deadline=$(( $(date +%s) + ${PROVISION_TIMEOUT_SECONDS:-900} ))
until python -m dashboards provision --url "${SUPERSET_URL:-http://superset:8088}"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
        echo "dashboard not provisioned after ${PROVISION_TIMEOUT_SECONDS:-900} s: see the pipeline's logs" >&2
        exit 1
    fi
    echo "retrying in 20 s (waiting for the pipeline's first BI snapshot)"
    sleep 20
done
