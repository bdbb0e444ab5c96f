# syntax=docker/dockerfile:1
# The pipeline image: generator, loader, dbt project, Prefect flow and the dashboard provisioner (which talks
# to Superset over HTTP); no test tools and no Superset (it has its own image, docker/superset/Dockerfile).
# Two stages: the builder resolves the locked dependencies into /opt/venv; the runtime copies that venv
# and the sources, and runs as an unprivileged user. Build: `docker compose build` or
# `docker build -t ecommerce-elt:local .`

ARG PYTHON_IMAGE=python:3.12-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder

# Same uv as the Makefile, so the image resolves the lock the way `make install` does.
ARG UV_VERSION=0.13.9
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never
RUN pip install "uv==${UV_VERSION}" \
    && uv venv --python /usr/local/bin/python3 /opt/venv

WORKDIR /build
# Dependencies first: this layer is rebuilt only when the lock or pyproject.toml change, not on code edits.
# requirements.lock pins every package (it is the lock of all extras); the constraint installs just the
# pipeline's share of it: the core plus the dbt and orchestration extras.
COPY pyproject.toml requirements.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv pip install --python /opt/venv/bin/python \
        --constraint requirements.lock -r pyproject.toml --extra dbt --extra orchestration


FROM ${PYTHON_IMAGE} AS runtime

# A fixed numeric id, so USER below is numeric (Kubernetes runAsNonRoot can verify it) and volumes
# created by this image have a predictable owner. A real home, for tools that write caches under ~.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app

ENV PATH=/opt/venv/bin:${PATH} \
    VIRTUAL_ENV=/opt/venv \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DO_NOT_TRACK=1 \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false \
    DBT_PROFILES_DIR=/app/profiles \
    DBT_TARGET_PATH=/app/data/dbt-target \
    DBT_LOG_PATH=/app/data/dbt-logs \
    PREFECT_HOME=/app/.prefect \
    PREFECT_SERVER_ANALYTICS_ENABLED=false \
    PREFECT_RUNNER_SERVER_ENABLE=true \
    PREFECT_RUNNER_SERVER_HOST=127.0.0.1 \
    PREFECT_RUNNER_SERVER_PORT=8080

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
# Code and the dbt project stay root-owned (the app user cannot change them); dbt writes its target/
# and logs/ under data/ (DBT_TARGET_PATH, DBT_LOG_PATH), which with the other data folders is the app's.
COPY shop_contract/ shop_contract/
COPY seeds_generator/ seeds_generator/
COPY loader/ loader/
COPY orchestration/ orchestration/
COPY profiles/ profiles/
COPY dbt_project/ dbt_project/
COPY dashboards/ dashboards/
COPY docker/healthcheck.py docker/docs_server.py docker/serve-dbt-docs.sh docker/provision-dashboard.sh docker/
RUN mkdir -p lake warehouse exports data .prefect \
    && chown app:app lake warehouse exports data .prefect

USER 10001:10001

# `python -m orchestration serve` runs Prefect's runner webserver (enabled above, bound to loopback): its
# /health answers 503 once the runner misses its polls of the Prefect API, so a hung scheduler shows
# up as unhealthy. Services that run something else override this check in docker-compose.yml.
HEALTHCHECK --interval=30s --timeout=10s --start-period=90s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py", "http://127.0.0.1:8080/health"]

CMD ["python", "-m", "orchestration", "serve", "--interval", "120"]
