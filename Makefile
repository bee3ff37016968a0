# Lianxin 连心 — run `make help` for the targets.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := node_modules/.package-lock.json
PO := $(wildcard marketplace/web/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install browsers i18n run serve migrate demo test lint format typecheck check chaos bench bench-api worker clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml package.json package-lock.json
	@command -v $(PY) >/dev/null || { echo "need $(PY) on PATH"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# The pages' front-end packages (htmx, ECharts, Leaflet), pinned by the lockfile; served from node_modules.
$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(ASSETS)

# The compiled catalogues are built here, not committed (the .po files are).
$(MO): %.mo: %.po $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@

install: $(STAMP) $(ASSETS) $(MO) ## Create the virtualenv and install everything

migrate: install ## Apply the migrations to the configured database
	$(BIN)/python -m marketplace.cli migrate

demo: migrate ## Load the demo data if the database is empty
	$(BIN)/python -m marketplace.cli demo

run: demo ## Set up, load demo data and serve on 127.0.0.1:8000
	$(BIN)/python -m marketplace.cli accounts
	$(BIN)/uvicorn marketplace.asgi:app --host $(HOST) --port $(PORT) --no-access-log

worker: install ## Run the job worker (REDIS_URL; same DATABASE_URL as the app, e.g. in .env)
	$(BIN)/python -m marketplace.cli worker

browsers: ## Chromium and CJK fonts for the browser tests (Debian packages; root only)
	@if command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else echo "not root or no apt-get: browser tests will be skipped"; fi

i18n: install ## Re-extract the page strings into the catalogues (zh_CN, en)
	$(BIN)/pybabel extract -F babel.cfg -k t:2 -o /tmp/lianxin-messages.pot .
	$(BIN)/pybabel update -i /tmp/lianxin-messages.pot -d marketplace/web/translations
	$(BIN)/pybabel compile -d marketplace/web/translations

test: install browsers ## Run the whole test suite (Postgres/Redis variants skip without servers)
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: install ## ruff check and format check
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: install ## Format the code with ruff
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

typecheck: install ## mypy on matching/ and the services (files listed in pyproject.toml)
	$(BIN)/mypy

check: lint typecheck test ## Lint, typecheck and the whole test suite (what CI runs)

chaos: install ## Faults under load on its own PostgreSQL and Redis (ports 8850-8852; not in CI)
	$(BIN)/python -m bench.chaos

bench: install ## Benchmarks: print the figures (not timed tests)
	$(BIN)/python -m bench.matching_bench
	$(BIN)/python -m bench.families
	$(BIN)/python -m bench.dispatch_bench
	$(BIN)/python -m bench.roster_bench

# wrk drives the servers; installed from Debian when missing (root), else the target stops.
bench-api: install ## The hot paths at district scale on PostgreSQL + Redis with wrk (not in CI)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || \
		{ echo "bench-api needs wrk (apt-get install wrk)"; exit 1; }
	$(BIN)/python -m bench.api_bench --out bench/results/$$(date -u +%Y-%m-%d)-api.md

clean: ## Remove the virtualenv, node modules and local data
	rm -rf $(VENV) var node_modules screenshots
