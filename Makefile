# CityOps — every command the project has. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/cityops
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install run test test-sqlite test-postgres lint format migrations messages screenshots bench clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/cityops: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/cityops

install: $(BIN)/cityops ## Create .venv with CityOps and its development tools

run: install ## Serve the IOC with demo data at http://127.0.0.1:8000 (SQLite under var/)
	$(BIN)/cityops run

test: install lint test-sqlite test-postgres ## Lint, then the whole suite on SQLite and PostgreSQL

test-sqlite: install ## The suite on SQLite
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-postgres: install ## The suite on PostgreSQL ($(PG_URL)); skipped with a notice outside CI when unreachable
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL is required in CI but $(PG_URL) is unreachable"; exit 1; \
	else echo "PostgreSQL not reachable at $(PG_URL): PostgreSQL run skipped (CI runs it)"; fi

lint: install ## ruff, formatting, mypy, missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy cityops bench
	$(BIN)/cityops makemigrations --check --dry-run

format: install ## Fix what ruff can fix
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations: install ## Write migrations for model changes (name them: make migrations APP=reports NAME=add_x)
	$(BIN)/cityops makemigrations $(APP) $(if $(NAME),-n $(NAME))

messages: install ## Refresh the Vietnamese and English catalogues and compile them
	cd cityops && ../$(BIN)/cityops makemessages -l vi -l en --no-obsolete --ignore "*/tests/*" --ignore test_settings.py && ../$(BIN)/cityops compilemessages

screenshots: install ## PNGs of the portal (phone/desktop, vi/en) into docs/screenshots/ (needs /usr/bin/chromium)
	@data=$$(mktemp -d) && trap 'rm -rf "$$data"' EXIT && \
		CITYOPS_DATA_DIR=$$data $(BIN)/cityops screenshots --out docs/screenshots

bench: install ## Every bench/*.py (classifier, telemetry, aggregation, intake, …) into bench/results/; one: make bench ONLY=intake
	@set -e; for script in $(if $(ONLY),$(addprefix bench/,$(addsuffix .py,$(ONLY))),bench/*.py); do \
		test -f $$script || { echo "no such bench: $$script"; exit 1; }; \
		echo "== $$script"; PG_URL=$(PG_URL) $(BIN)/python $$script; done

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) var
