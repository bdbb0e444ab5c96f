# Two commands on a fresh clone: `make run` (the whole pipeline on the embedded defaults)
# and `make test` (every test and linter). Everything else here is a building block of those two.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed

# dbt phones home (version check, usage stats) and Prefect sends analytics: not from here.
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_HOME := $(CURDIR)/.prefect

.PHONY: help install lock system-deps run test lint lint-infra format bench docs ui bi clean up down

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python >= 3.11 is required (found $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(UV): $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Re-installs only when the lock or the project's metadata changed. Bytecode is compiled once here:
# where PYTHONDONTWRITEBYTECODE is set, every dbt process would otherwise compile dbt from source (~2 s).
$(STAMP): requirements.lock pyproject.toml | $(UV)
	$(UV) pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	@mkdir -p $(VENV)/tmp  # uv's build of the project leaves a lock file in TMPDIR: keep it in .venv
	TMPDIR=$(CURDIR)/$(VENV)/tmp $(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@

install: $(STAMP) ## Create .venv and install the locked dependencies (fast when nothing changed)

lock: | $(UV) ## Re-resolve requirements.lock from pyproject.toml (all extras)
	$(UV) pip compile --quiet --python-version 3.11 --all-extras pyproject.toml -o requirements.lock

system-deps: ## Install the system packages the tests use (PostgreSQL server, Chromium), when missing
	@bash scripts/system_deps.sh

run: install ## Run the whole pipeline once on the embedded defaults (DuckDB, local lake)
	$(BIN)/python -m orchestration run

test: install system-deps lint ## Run every linter and test
	$(BIN)/python -m pytest

lint: install lint-infra ## ruff (lint + format check), then the infrastructure linters
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install ## Run every benchmark at scale 10 (SCALE=1000 for the generator's targets)
	$(BIN)/python benchmarks/bench_generator.py --scale $${SCALE:-10}
	$(BIN)/python benchmarks/bench_loader.py --scale $${SCALE:-10}
	$(BIN)/python benchmarks/bench_dbt.py --scale $${SCALE:-10}
	$(BIN)/python -m orchestration.benchmark --scale 1

docs: install ## Generate the dbt docs and serve them on a free local port (Ctrl-C stops)
	$(BIN)/python dbt_project/scripts/serve_docs.py

ui: install ## Start the Prefect UI on 127.0.0.1 (PREFECT_UI_PORT, 4200) and serve the flow every 2 minutes
	$(BIN)/python -m orchestration ui

bi: install ## Install Superset (first time), start it on 127.0.0.1 (SUPERSET_PORT, 8088), provision the dashboard
	$(BIN)/python -m dashboards serve

clean: ## Remove generated data (lake, warehouse, exports, dbt target); keeps .venv
	rm -rf lake warehouse exports data dbt_project/target* dbt_project/logs .prefect

COMPOSE ?= docker compose

up: ## Start the container stack: Prefect UI :4200, Superset :8088, dbt docs :8081, MinIO :9001 (needs Docker and .env)
	@test -f .env || { echo "No .env: cp .env.example .env, then set MINIO_ROOT_PASSWORD, LAKE_SECRET_ACCESS_KEY, SUPERSET_SECRET_KEY and SUPERSET_ADMIN_PASSWORD (see docs/containers.md)"; exit 1; }
	$(COMPOSE) up --build --detach
	@echo "Prefect UI http://localhost:4200  Superset http://localhost:8088  dbt docs http://localhost:8081  MinIO http://localhost:9001 (default ports)"
	@echo "Progress: $(COMPOSE) ps  |  $(COMPOSE) logs -f pipeline"

down: ## Stop the container stack; data stays in the named volumes (docker compose down --volumes deletes it)
	$(COMPOSE) down

lint-infra: install ## hadolint, cfn-lint, shellcheck and the secret scan (compose config runs in tests/infrastructure)
	$(BIN)/hadolint Dockerfile docker/superset/Dockerfile
	$(BIN)/cfn-lint --include-checks I -- infrastructure/*.yaml
	$(BIN)/shellcheck --shell=sh docker/*.sh docker/superset/*.sh
	$(BIN)/python -m tests.infrastructure.secret_scan
