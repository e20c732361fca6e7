# Renkei's two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# make test lists the slowest tests of each run.
DURATIONS := --durations=15
# Where `make wheelhouse` puts the wheels an offline server installs from (docs/deploy.md).
WHEELHOUSE ?= dist/wheelhouse

.PHONY: run test test-fast test-deploy wheelhouse screenshots test-sqlite test-postgres lint typecheck check setup clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@# axe-core for the browser tests' accessibility checks (test-only JavaScript).
	if command -v npm >/dev/null; then npm install --silent --no-audit --no-fund; fi
	touch $(STAMP)

setup: $(STAMP)

## make run: install, migrate, load FY2024 and issue its report, create the demo login, serve on
## http://$(HOST):$(PORT) with a job worker beside the server (no other server needed)
run: $(STAMP)
	$(BIN)/renkei migrate --verbosity 0
	$(BIN)/renkei load_fy2024
	$(BIN)/renkei issue_fy2024_report
	@echo
	@echo "Renkei: http://$(HOST):$(PORT)/staff/ (staff screens), /admin/ (admin, operators only), / (public portal)"
	@$(BIN)/renkei create_demo_users
	@$(BIN)/renkei create_demo_inquiry
	@echo
	@echo "Reports asked for on the screens are made by a job worker started beside the server (renkei worker)."
	@# The worker runs in the background and is stopped with the server (Ctrl-C).
	$(BIN)/renkei worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/renkei runserver $(HOST):$(PORT)

## make test: lint, types, migration check, the suite on SQLite and again on PostgreSQL
## (each run lists its 15 slowest tests)
test: lint typecheck check test-sqlite test-postgres

## make test-fast: while working: the suite on SQLite in one process per core, without the
## browser tests and the few slow ones that start other programs (make test runs those)
test-fast: $(STAMP)
	env -u DATABASE_URL $(BIN)/pytest -n 2 -m "not browser and not deploy and not libreoffice and not slow" -p no:cacheprovider $(DURATIONS) $(PYTEST_ARGS)

## make screenshots: the browser tests alone; each saves what it looked at (1280 px and 390 px)
## under artifacts/screenshots/ for people to look at
screenshots: $(STAMP)
	env -u DATABASE_URL $(BIN)/pytest -m browser -p no:cacheprovider $(PYTEST_ARGS)
	@echo "screenshots: artifacts/screenshots/"

lint: $(STAMP)
	$(BIN)/ruff check renkei tests scripts
	$(BIN)/ruff format --check renkei tests scripts

## make typecheck: mypy with django-stubs over the modules pyproject.toml lists
typecheck: $(STAMP)
	$(BIN)/mypy

check: $(STAMP)
	$(BIN)/renkei makemigrations --check --dry-run --verbosity 1
	$(BIN)/renkei check

test-sqlite: $(STAMP)
	@echo "=== test suite on SQLite ==="
	env -u DATABASE_URL $(BIN)/pytest -m "not deploy" $(DURATIONS) $(PYTEST_ARGS)

test-postgres: $(STAMP)
	@echo "=== test suite on PostgreSQL ==="
	$(BIN)/python scripts/with_postgres.py $(BIN)/pytest -m "not deploy" $(DURATIONS) $(PYTEST_ARGS)

## make wheelhouse: every wheel a server runs (Renkei with its static files, its dependencies,
## gunicorn and redis; not the dev tools) in $(WHEELHOUSE), for a server with no network:
## pip install --no-index --find-links $(WHEELHOUSE) 'renkei[server]'
wheelhouse: $(STAMP)
	rm -rf $(WHEELHOUSE) build
	$(BIN)/pip wheel --quiet --wheel-dir $(WHEELHOUSE) ".[server]"
	rm -rf build
	@ls $(WHEELHOUSE) | wc -l | xargs echo "wheels in $(WHEELHOUSE):"

## make test-deploy: install from the wheelhouse into a fresh venv with the package index off,
## then check --deploy, migrate and collectstatic there; and two gunicorn servers sharing one
## PostgreSQL, one Redis and the files, with a job worker (tests/deploy/; .ci/run calls it)
test-deploy: wheelhouse
	@echo "=== offline install from $(WHEELHOUSE); two app servers ==="
	env -u DATABASE_URL RENKEI_WHEELHOUSE=$(abspath $(WHEELHOUSE)) $(BIN)/pytest -m deploy -p no:cacheprovider $(DURATIONS) $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var dist build
