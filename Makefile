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

.PHONY: help install lock system-deps run test lint format bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python >= 3.11 is required (found $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(UV): $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Re-installs only when the lock or the project's metadata changed.
$(STAMP): requirements.lock pyproject.toml | $(UV)
	$(UV) pip sync --quiet --python $(BIN)/python requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
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

lint: install ## ruff (lint + format check)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install ## Run the benchmarks at scale 10 (SCALE=1000 for the issue targets)
	$(BIN)/python benchmarks/bench_generator.py --scale $${SCALE:-10}

clean: ## Remove generated data (lake, warehouse, exports, dbt target); keeps .venv
	rm -rf lake warehouse exports data dbt_project/target* dbt_project/logs .prefect
