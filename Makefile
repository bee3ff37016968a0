# Lianxin 连心 — run `make help` for the targets.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run serve migrate demo test test-fast lint format typecheck bench worker clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null || { echo "need $(PY) on PATH"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create the virtualenv and install everything

migrate: install ## Apply the migrations to the configured database
	$(BIN)/python -m marketplace.cli migrate

demo: migrate ## Load the demo data if the database is empty
	$(BIN)/python -m marketplace.cli demo

run: demo ## Set up, load demo data and serve on 127.0.0.1:8000
	$(BIN)/python -m marketplace.cli accounts
	$(BIN)/uvicorn marketplace.asgi:app --host $(HOST) --port $(PORT) --no-access-log

worker: install ## Run the job worker (needs REDIS_URL)
	$(BIN)/python -m marketplace.cli worker

test: install ## Run the whole test suite (Postgres/Redis variants skip without servers)
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: install ## ruff check and format check
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: install ## Format the code with ruff
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

typecheck: install ## mypy on matching/ and the services
	$(BIN)/mypy matching marketplace

bench: install ## Benchmarks: print the figures (not timed tests)
	$(BIN)/python -m bench.matching_bench

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var
