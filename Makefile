# Renkei's two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres lint check setup clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@# axe-core for the browser tests' accessibility checks (test-only JavaScript).
	if command -v npm >/dev/null; then npm install --silent --no-audit --no-fund; fi
	touch $(STAMP)

setup: $(STAMP)

## make run: install, migrate, load FY2024 and issue its report, create the demo login, serve on http://$(HOST):$(PORT)
run: $(STAMP)
	$(BIN)/renkei migrate --verbosity 0
	$(BIN)/renkei load_fy2024
	$(BIN)/renkei issue_fy2024_report
	@echo
	@echo "Renkei: http://$(HOST):$(PORT)/staff/ (staff screens), /admin/ (admin, operators only), / (public portal)"
	@$(BIN)/renkei create_demo_users
	@echo
	$(BIN)/renkei runserver $(HOST):$(PORT)

## make test: lint, migration check, the suite on SQLite and again on PostgreSQL
test: lint check test-sqlite test-postgres

lint: $(STAMP)
	$(BIN)/ruff check renkei tests scripts

check: $(STAMP)
	$(BIN)/renkei makemigrations --check --dry-run --verbosity 1
	$(BIN)/renkei check

test-sqlite: $(STAMP)
	@echo "=== test suite on SQLite ==="
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: $(STAMP)
	@echo "=== test suite on PostgreSQL ==="
	$(BIN)/python scripts/with_postgres.py $(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var
